// Starts `ats lsp` for .ats files (the setting `ats.path` names the executable).
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("ats").get("path") || "ats";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient("ats", "ats", { run: server, debug: server }, {
    documentSelector: [{ scheme: "file", language: "ats" }, { scheme: "untitled", language: "ats" }],
  });
  context.subscriptions.push(client);
  client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
