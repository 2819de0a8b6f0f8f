// Regenerates the committed completion scripts from the built CLI (npm run completions).
// test/cli/completion.test.ts fails when they are stale.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const files = {
  bash: 'completions/sotail.bash',
  zsh: 'completions/_sotail',
  fish: 'completions/sotail.fish',
};
for (const [shell, path] of Object.entries(files)) {
  const script = execFileSync(process.execPath, ['bin/sotail', 'completion', shell], { encoding: 'utf8' });
  writeFileSync(path, script);
  console.log(`wrote ${path}`);
}
