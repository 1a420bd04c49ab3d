'use strict';
// The client's handling of the `regel` program: where the setting points, what a jurist is
// told when the program is missing or too old, and that the extension then keeps to
// highlighting instead of starting a server that is not there. VS Code itself is replaced by
// a stand-in that records what the extension asks of it.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const { resolveCommand, checkServer } = require('../server.js');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'regel-vscode-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** A stand-in `regel`: a shell script that ends `regel lsp --help` with the given exit code. */
function fakeRegel(name, exitCode, mode = 0o755) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, `#!/bin/sh\nexit ${exitCode}\n`);
  fs.chmodSync(file, mode);
  return file;
}

test('the setting names a program in PATH, in the home directory or in the workspace', () => {
  assert.equal(resolveCommand(undefined, '/ws'), 'regel');
  assert.equal(resolveCommand('  ', '/ws'), 'regel');
  assert.equal(resolveCommand('regel', '/ws'), 'regel');
  assert.equal(resolveCommand('/opt/regel/bin/regel', '/ws'), '/opt/regel/bin/regel');
  assert.equal(resolveCommand('target/release/regel', '/ws'), path.resolve('/ws/target/release/regel'));
  assert.equal(resolveCommand('~/.cargo/bin/regel', '/ws'), path.join(os.homedir(), '.cargo/bin/regel'));
});

test('a program that does not exist is explained in Swedish, with the fix', async () => {
  const missing = path.join(scratch, 'finns-inte', 'regel');
  const found = await checkServer(missing);
  assert.equal(found.ok, false);
  assert.match(found.message, /^hittar inte programmet `.*finns-inte\/regel`/);
  assert.match(found.message, /cargo install --path \./);
  assert.match(found.message, /regel\.path/);
});

test('a program without `regel lsp` is told apart from a missing one', async () => {
  const found = await checkServer(fakeRegel('gammal-regel', 2));
  assert.equal(found.ok, false);
  assert.match(found.message, /har ingen språkserver \(`regel lsp`\)/);
  assert.match(found.message, /cargo install --path \./);
});

test('a file that cannot be run is reported as such', { skip: process.platform === 'win32' }, async () => {
  const found = await checkServer(fakeRegel('inte-körbar', 0, 0o644));
  assert.equal(found.ok, false);
  assert.match(found.message, /går inte att köra/);
});

test('a program that answers `regel lsp --help` is accepted', async () => {
  assert.deepEqual(await checkServer(fakeRegel('regel', 0)), { ok: true });
});

/** A stand-in for the `vscode` module that records warnings and registrations. */
function fakeVscode(settingPath) {
  const recorded = { warnings: [], commands: [], settingsOpened: [] };
  const vscode = {
    recorded,
    workspace: {
      workspaceFolders: [{ uri: { fsPath: scratch } }],
      getConfiguration: (section) => ({
        get: (key) => (section === 'regel' && key === 'path' ? settingPath : undefined),
      }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    window: {
      showWarningMessage: (message, ...actions) => {
        recorded.warnings.push({ message, actions });
        return Promise.resolve(actions[0]);
      },
    },
    commands: {
      registerCommand: (id) => {
        recorded.commands.push(id);
        return { dispose() {} };
      },
      executeCommand: (id, ...args) => {
        recorded.settingsOpened.push([id, ...args]);
        return Promise.resolve();
      },
    },
  };
  return vscode;
}

/** Loads extension.js afresh with `vscode` replaced by the stand-in. */
function loadExtension(vscode) {
  const original = Module._load;
  Module._load = function load(request, ...rest) {
    return request === 'vscode' ? vscode : original.call(this, request, ...rest);
  };
  try {
    const file = require.resolve('../extension.js');
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = original;
  }
}

test('without the program the extension warns once, offers the setting and starts no server', async () => {
  const vscode = fakeVscode('saknas/regel');
  const extension = loadExtension(vscode);
  const context = { subscriptions: [] };
  await extension.activate(context);

  assert.deepEqual(vscode.recorded.commands, ['regel.startaOm']);
  assert.equal(context.subscriptions.length, 2);
  assert.equal(vscode.recorded.warnings.length, 1);
  const [{ message, actions }] = vscode.recorded.warnings;
  assert.match(message, /^hittar inte programmet `.*saknas\/regel`/);
  assert.deepEqual(actions, ['Öppna inställningen']);
  // The warning's button opens the setting.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(vscode.recorded.settingsOpened, [['workbench.action.openSettings', 'regel.path']]);
  // The language client is loaded only to start a server; nothing was started.
  const clientLoaded = Object.keys(require.cache).some((file) => file.includes('vscode-languageclient'));
  assert.equal(clientLoaded, false);
  await extension.deactivate();
});
