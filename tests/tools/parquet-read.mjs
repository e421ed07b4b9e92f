// Reads Parquet files with DuckDB, an implementation independent of ParquetSharp, and prints
// {"columns": [{"name", "type"}], "rows": [{...}]} as JSON. Usage: node parquet-read.mjs FILE_OR_GLOB
import { DuckDBInstance } from '@duckdb/node-api';

const path = process.argv[2];
if (!path) {
  console.error('usage: node parquet-read.mjs FILE_OR_GLOB');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const source = `read_parquet('${path.replaceAll("'", "''")}')`;
const schema = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
const rows = await connection.runAndReadAll(`SELECT * FROM ${source}`);
const columns = schema.getRowObjectsJson().map(r => ({ name: r.column_name, type: r.column_type }));
process.stdout.write(JSON.stringify({ columns, rows: rows.getRowObjectsJson() }));
