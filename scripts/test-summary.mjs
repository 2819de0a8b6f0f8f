// Prints the plain closing line "N passed, N failed, N skipped" from vitest's JSON report,
// so a CI log states what ran whatever reads it (.ci/run calls this after each test run).
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(new URL('../test-results/vitest.json', import.meta.url), 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
