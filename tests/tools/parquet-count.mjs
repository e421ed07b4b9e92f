// Counts the rows of the Parquet files of each directory given, with DuckDB (an implementation
// independent of ParquetSharp), in one process: prints {"DIR": rows, ...} as JSON, 0 for a
// directory without Parquet files. Usage: node parquet-count.mjs DIR...
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, existsSync } from 'node:fs';

const directories = process.argv.slice(2);
if (directories.length === 0) {
  console.error('usage: node parquet-count.mjs DIR...');
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const counts = {};
for (const directory of directories) {
  const any = existsSync(directory) && readdirSync(directory).some(f => f.endsWith('.parquet'));
  if (!any) {
    counts[directory] = 0;
    continue;
  }
  const glob = `${directory}/*.parquet`.replaceAll("'", "''");
  const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${glob}')`);
  counts[directory] = Number(reader.getRows()[0][0]);
}
process.stdout.write(JSON.stringify(counts));
