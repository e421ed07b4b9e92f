"""Loads a PROV-JSON file with the W3C PROV reference library (Debian: python3-prov) and prints,
as JSON, how many records of each PROV type it holds and the plan of every association.
Usage: /usr/bin/python3 prov-check.py FILE"""
import collections
import json
import sys

import prov
from prov.model import PROV_ATTR_PLAN, ProvAssociation

document = prov.read(sys.argv[1], format="json")
counts = collections.Counter(str(record.get_type()) for record in document.get_records())
plans = sorted(
    str(value)
    for record in document.get_records(ProvAssociation)
    for name, value in record.attributes
    if name == PROV_ATTR_PLAN
)
print(json.dumps({"counts": counts, "plans": plans}))
