namespace Cairn;

/// <summary>The file format a product's results are packed into.</summary>
public enum Container
{
    /// <summary>The campaign's format: <c>run --format</c>, else the one the store was created with (Parquet by default).</summary>
    Default = 0,

    /// <summary>Parquet files: columnar tables that pandas, Polars, DuckDB and Spark read.</summary>
    Parquet = 1,

    /// <summary>HDF5 files of N x shape datasets that h5py, h5dump and HDFView read; needs the system's HDF5 library.</summary>
    Hdf5 = 2,
}
