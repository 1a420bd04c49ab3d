'use strict';
// The extension manifest and the language configuration: what VS Code reads before any of our
// code runs.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');

const PACKAGE = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'package.json'), 'utf8'));
const configuration = JSON.parse(fs.readFileSync(path.join(PACKAGE, 'language-configuration.json'), 'utf8'));

test('the manifest declares the language, its grammar and the regel.path setting', () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, 'regel');
  assert.deepEqual(language.extensions, ['.regel']);
  assert.ok(fs.existsSync(path.join(PACKAGE, language.configuration)));

  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, 'regel');
  const tmLanguage = JSON.parse(fs.readFileSync(path.join(PACKAGE, grammar.path), 'utf8'));
  assert.equal(grammar.scopeName, tmLanguage.scopeName);

  const setting = manifest.contributes.configuration.properties['regel.path'];
  assert.equal(setting.type, 'string');
  assert.equal(setting.default, 'regel');

  assert.ok(fs.existsSync(path.join(PACKAGE, manifest.main)));
  for (const { command } of manifest.contributes.commands) {
    assert.match(fs.readFileSync(path.join(PACKAGE, manifest.main), 'utf8'), new RegExp(`'${command}'`));
  }
});

test('comments and brackets', () => {
  assert.equal(configuration.comments.lineComment, '#');
  assert.deepEqual(configuration.brackets, [
    ['(', ')'],
    ['{', '}'],
  ]);
  const quote = configuration.autoClosingPairs.find((pair) => pair.open === '"');
  assert.deepEqual(quote, { open: '"', close: '"', notIn: ['string', 'comment'] });
});

test('a word is a name with å, ä, ö, a dotted fact, a rule id or a date', () => {
  // VS Code compiles the pattern as a JavaScript RegExp and adds the `g` flag.
  const word = new RegExp(configuration.wordPattern, 'g');
  const words = (line) => line.match(word);
  assert.deepEqual(words('  om läsare = vårdnadshavare och patient.ålder >= 16'), [
    'om',
    'läsare',
    'vårdnadshavare',
    'och',
    'patient.ålder',
    '16',
  ]);
  assert.deepEqual(words('avsteg RJH-3.4a "Förlängd åtkomst"'), ['avsteg', 'RJH-3.4a', 'Förlängd', 'åtkomst']);
  assert.deepEqual(words('  ersätter regel N3a'), ['ersätter', 'regel', 'N3a']);
  assert.deepEqual(words('  datum = 2026-05-01'), ['datum', '2026-05-01']);
  assert.deepEqual(words('fakta antal: heltal 0..120 = 0'), ['fakta', 'antal', 'heltal', '0', '120', '0']);
  assert.deepEqual(words('  då dölj skäl överläkare_bakjour'), ['då', 'dölj', 'skäl', 'överläkare_bakjour']);

  // A double click selects by `editor.wordSeparators`, not by the pattern above.
  const separators = manifest.contributes.configurationDefaults['[regel]']['editor.wordSeparators'];
  for (const joined of ['.', '-', '_']) {
    assert.ok(!separators.includes(joined), `\`${joined}\` separates words in a double click`);
  }
  for (const separator of [',', '(', ')', '{', '}', '"', '=', '<', '>', ':']) {
    assert.ok(separators.includes(separator), `\`${separator}\` does not separate words`);
  }
});

test('indentation follows the rule files: declarations at the margin, their clauses indented', () => {
  const increase = new RegExp(configuration.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(configuration.indentationRules.decreaseIndentPattern);
  // Enter after the first line of a declaration indents its clauses.
  for (const line of [
    'regel N1 "Patienten ser sina egna uppgifter"',
    'avsteg RJH-3.4a "Förlängd åtkomst"',
    'beslut direktåtkomst',
    'invariant "En blockerad vårdnadshavare ser ingenting"',
    'exempel "Patienten fyller 16 i dag"',
  ]) {
    assert.match(line, increase);
  }
  // A clause does not indent further, nor does a declaration on one line.
  for (const line of [
    '  beslut direktåtkomst',
    '  ny regel',
    '  ersätter regel N3a',
    '  om läsare = patient',
    'typ Läsare: patient, vårdnadshavare',
    'fakta läsare: Läsare',
    'regelverk "Test"',
    '# regel N1 i en kommentar',
  ]) {
    assert.doesNotMatch(line, increase);
  }
  // Starting a new declaration on an indented line moves it back to the margin.
  for (const line of ['  regel', '  regel N2 "Titel"', '  fakta', '  typ', '  härledd', '  exempel', '  avsteg']) {
    assert.match(line, decrease);
  }
  for (const line of ['  beslut direktåtkomst', '  ny regel', '  regelbunden = sant', 'regel N1 "Titel"']) {
    assert.doesNotMatch(line, decrease);
  }
});
