// DuckDB side of bench/compare: loads the exported facts CSV into an in-memory DuckDB table,
// runs the four comparison queries (one warm-up, then 5 timed runs each) and writes the groups
// and timings as JSON in the format compare_bench reads (see bench/compare_bench.cc).
//
// Usage: node compare_duckdb.mjs --facts FACTS.csv --out RESULT.json --modules DIR
//   DIR is where bench/compare installed bench/duckdb/package.json (it holds node_modules).
import { createRequire } from 'node:module';
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const kRuns = 5;

function parseArgs(argv) {
  const args = {};
  for (let i = 2; i + 1 < argv.length; i += 2) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument '${argv[i]}'`);
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['facts', 'out', 'modules']) {
    if (!args[name]) throw new Error(`missing --${name}`);
  }
  return args;
}

// Single quotes doubled: the path goes into SQL text (read_csv needs a literal).
function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Counts per group, in the same shape for every query: the group key columns come first
// (as text), then promoters, passives, detractors.
const counts = `
  CAST(count(*) FILTER (WHERE score >= 9) AS INTEGER) AS promoters,
  CAST(count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS INTEGER) AS passives,
  CAST(count(*) FILTER (WHERE score <= 6) AS INTEGER) AS detractors`;

// Month and quarter keys: aggregate on an integer (year * 100 + month, year * 10 + quarter)
// and format only the resulting groups. That is DuckDB's fastest way that we found: grouping
// by strftime(local_date, '%Y-%m') per row or by date_trunc('month', local_date) is 2-10x
// slower on these queries.
const yearMonth = `year(local_date) * 100 + month(local_date)`;
const month = `printf('%04d-%02d', year_month // 100, year_month % 100)`;
const yearQuarter = `year(local_date) * 10 + quarter(local_date)`;
const quarter = `printf('%04d-Q%d', year_quarter // 10, year_quarter % 10)`;

const queries = [
  {
    id: 'Q1',
    keys: 1,
    sql: `SELECT ${month} AS month, promoters, passives, detractors FROM (
            SELECT ${yearMonth} AS year_month, ${counts}
            FROM facts WHERE survey = 'patient'
            GROUP BY 1)
          ORDER BY 1`,
  },
  {
    id: 'Q2',
    keys: 1,
    sql: `SELECT unit, ${counts}
          FROM facts
          WHERE survey = 'patient' AND channel = 'sms'
            AND local_date BETWEEN DATE '2024-01-01' AND DATE '2024-12-31'
          GROUP BY 1 ORDER BY 1`,
  },
  {
    id: 'Q3',
    keys: 3,
    sql: `SELECT area, ${quarter} AS quarter, visit_type, promoters, passives, detractors FROM (
            SELECT area, ${yearQuarter} AS year_quarter, visit_type, ${counts}
            FROM facts
            WHERE survey = 'patient'
              AND local_date BETWEEN DATE '2023-01-01' AND DATE '2024-12-31'
            GROUP BY 1, 2, 3)
          ORDER BY 1, 2, 3`,
  },
  {
    // A12 is an area: its subtree is exactly the rows whose area is A12.
    id: 'Q4',
    keys: 1,
    sql: `SELECT ${month} AS month, promoters, passives, detractors FROM (
            SELECT ${yearMonth} AS year_month, ${counts}
            FROM facts WHERE survey = 'patient' AND area = 'A12' AND language = 'sv'
            GROUP BY 1)
          ORDER BY 1`,
  },
];

async function main() {
  const args = parseArgs(process.argv);
  const require = createRequire(path.resolve(args.modules, 'package.json'));
  const { DuckDBInstance } = require('@duckdb/node-api');

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 2');
  const version = (await connection.runAndReadAll('SELECT version()')).getRowsJS()[0][0];

  let start = performance.now();
  await connection.run(`
    CREATE TABLE facts AS SELECT * FROM read_csv(${sqlString(args.facts)}, header = true,
      columns = {'unit': 'VARCHAR', 'centre': 'VARCHAR', 'area': 'VARCHAR', 'local_date': 'DATE',
                 'channel': 'VARCHAR', 'language': 'VARCHAR', 'visit_type': 'VARCHAR',
                 'age_group': 'VARCHAR', 'survey': 'VARCHAR', 'score': 'TINYINT'})`);
  const loadSeconds = (performance.now() - start) / 1000;
  const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM facts')).getRowsJS()[0][0]);

  const results = [];
  for (const query of queries) {
    const runsMs = [];
    let table = null;
    for (let run = 0; run <= kRuns; ++run) {  // run 0 is the warm-up
      start = performance.now();
      const reader = await connection.runAndReadAll(query.sql);
      table = reader.getRowsJS();
      const ms = performance.now() - start;
      if (run > 0) runsMs.push(ms);
    }
    const groups = table.map((row) => ({
      key: row.slice(0, query.keys).map((value) => String(value)),
      promoters: Number(row[query.keys]),
      passives: Number(row[query.keys + 1]),
      detractors: Number(row[query.keys + 2]),
    }));
    results.push({ id: query.id, sql: query.sql.replace(/\s+/g, ' ').trim(), runs_ms: runsMs, groups });
  }
  connection.closeSync();
  instance.closeSync();

  const out = {
    engine: 'duckdb',
    version: `DuckDB ${version} (@duckdb/node-api, Node.js ${process.version})`,
    rows,
    load_s: loadSeconds,
    load_note: 'read_csv of the facts CSV, in the OS cache, into an in-memory table',
    setup: 'in-memory table, threads=2, local_date DATE, text columns VARCHAR',
    queries: results,
  };
  writeFileSync(`${args.out}.tmp`, JSON.stringify(out, null, 1));
  renameSync(`${args.out}.tmp`, args.out);
}

main().catch((error) => {
  console.error(`compare_duckdb: ${error.stack || error}`);
  process.exit(1);
});
