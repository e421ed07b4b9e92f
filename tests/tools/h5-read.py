"""Prints an HDF5 file as JSON, read with h5py: every group's attributes and every dataset's
shape, dtype and values (complex as [re, im], bytes as text). Used by the tests as a reader that
shares no code with Cairn's binding."""
import json
import sys

import h5py
import numpy as np


def plain(value):
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, (complex, np.complexfloating)):
        return [float(value.real), float(value.imag)]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return repr(value)
    return value


def main(path):
    out = {"groups": {}, "datasets": {}}

    def visit(name, item):
        if isinstance(item, h5py.Group):
            out["groups"][name] = {k: plain(v) for k, v in item.attrs.items()}
        else:
            out["datasets"][name] = {
                "shape": list(item.shape),
                "dtype": str(item.dtype),
                "kind": item.dtype.kind,
                "string": h5py.check_string_dtype(item.dtype) is not None,
                "bool": item.dtype == np.bool_,
                "attrs": {k: plain(v) for k, v in item.attrs.items()},
                "values": plain(item[()]),
            }

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    json.dump(out, sys.stdout, separators=(",", ":"))


main(sys.argv[1])
