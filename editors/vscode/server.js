'use strict';
// Finding the `regel` program before the language server is started, so that a jurist
// without it gets a Swedish explanation and a way forward instead of a crash report. Free of
// the `vscode` module so that the tests run it under plain Node.

const { execFile } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const INSTALL = 'installera det med `cargo install --path .` i regelverkets katalog';

/**
 * The program the `regel.path` setting names. A bare name (`regel`) is looked up in PATH when
 * it is started; `~/…` is taken from the home directory and any other relative path
 * (`target/release/regel`) from the workspace folder.
 */
function resolveCommand(setting, workspaceFolder) {
  const command = typeof setting === 'string' && setting.trim() !== '' ? setting.trim() : 'regel';
  if (command === '~' || command.startsWith('~/')) {
    return path.join(os.homedir(), command.slice(1));
  }
  const bareName = !command.includes('/') && !command.includes('\\');
  if (bareName || path.isAbsolute(command) || workspaceFolder === undefined) {
    return command;
  }
  return path.resolve(workspaceFolder, command);
}

/**
 * Asks the program for `regel lsp --help`. Resolves to `{ ok: true }` when the language
 * server is there, otherwise to `{ ok: false, message }` with what to do, in Swedish.
 */
function checkServer(command) {
  return new Promise((resolve) => {
    execFile(command, ['lsp', '--help'], { timeout: 10_000, windowsHide: true }, (error) => {
      if (!error) {
        resolve({ ok: true });
      } else if (error.code === 'ENOENT') {
        resolve({
          ok: false,
          message:
            `hittar inte programmet \`${command}\`: ${INSTALL}, eller ange var det ligger i ` +
            'inställningen `regel.path`. Färgningen fungerar ändå, men fel, förklaringar och ' +
            'förslag medan du skriver kräver programmet.',
        });
      } else if (error.code === 'EACCES') {
        resolve({
          ok: false,
          message: `\`${command}\` går inte att köra: kontrollera inställningen \`regel.path\`.`,
        });
      } else if (typeof error.code === 'number') {
        resolve({
          ok: false,
          message:
            `\`${command}\` har ingen språkserver (\`regel lsp\`): ${INSTALL} för att få en ` +
            'nyare version. Färgningen fungerar ändå.',
        });
      } else {
        resolve({
          ok: false,
          message: `\`${command} lsp\` svarade inte (${error.message}): kontrollera inställningen \`regel.path\`.`,
        });
      }
    });
  });
}

module.exports = { resolveCommand, checkServer };
