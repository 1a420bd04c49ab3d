'use strict';
// The VS Code client for .regel files. Highlighting comes from the TextMate grammar alone;
// this file starts the language server, `regel lsp` over stdio, for diagnostics, hover, go to
// definition, completion and formatting. Plain JavaScript, loaded as is: no build step.

const vscode = require('vscode');
const { resolveCommand, checkServer } = require('./server');

const OPEN_SETTINGS = 'Öppna inställningen';

/** @type {import('vscode-languageclient/node').LanguageClient | undefined} */
let client;

function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('regel.startaOm', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('regel.path')) {
        restart();
      }
    }),
  );
  return start();
}

async function start() {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const command = resolveCommand(vscode.workspace.getConfiguration('regel').get('path'), folder);
  const found = await checkServer(command);
  if (!found.ok) {
    warn(found.message);
    return;
  }
  // Loaded only once the program is known to be there: without it there is no server to talk to.
  const { LanguageClient } = require('vscode-languageclient/node');
  const started = new LanguageClient(
    'regel',
    'Regel',
    { command, args: ['lsp'], options: { cwd: folder } },
    {
      documentSelector: [
        { scheme: 'file', language: 'regel' },
        { scheme: 'untitled', language: 'regel' },
      ],
    },
  );
  client = started;
  try {
    await started.start();
  } catch (error) {
    warn(`språkservern \`${command} lsp\` startade inte: ${error instanceof Error ? error.message : error}`);
  }
}

function warn(message) {
  vscode.window.showWarningMessage(message, OPEN_SETTINGS).then((choice) => {
    if (choice === OPEN_SETTINGS) {
      vscode.commands.executeCommand('workbench.action.openSettings', 'regel.path');
    }
  });
}

async function stop() {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop();
    } catch {
      // A server that never started, or has already exited, has nothing left to stop.
    }
  }
}

async function restart() {
  await stop();
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
