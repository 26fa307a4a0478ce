// Validates AMP documents offline with the official AMP validator engine.
// Usage: node validate.js <validator_wasm.js> <html format> <file>...
// Prints one JSON array: [{file, status, errors: [{code, line, col, message}]}].
const amphtmlValidator = require('amphtml-validator');
const fs = require('fs');
const [engine, format, ...files] = process.argv.slice(2);
amphtmlValidator.getInstance(engine).then(validator => {
  const results = files.map(file => {
    const r = validator.validateString(fs.readFileSync(file, 'utf8'), format);
    return {file, status: r.status, errors: r.errors.map(e => ({code: e.code, line: e.line, col: e.col, message: e.message}))};
  });
  process.stdout.write(JSON.stringify(results));
}).catch(e => { console.error(e); process.exit(2); });
