'use strict';
// The TextMate grammar, run by the engine VS Code itself uses (vscode-textmate with the
// Oniguruma regex library), against every rule file in the repository and against samples
// of each keyword, operator, type and unit that grammar/regel.pest defines.
//
// For every file: each non-whitespace character gets a scope more specific than
// `source.regel` (every token is classified), and no scope is `invalid`.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const oniguruma = require('vscode-oniguruma');
const vsctm = require('vscode-textmate');
const build = require('../syntaxes/build.js');

const PACKAGE = path.resolve(__dirname, '..');
const REPO = path.resolve(PACKAGE, '..', '..');
const GRAMMAR_JSON = path.join(PACKAGE, 'syntaxes', 'regel.tmLanguage.json');
const PEST = path.join(REPO, 'grammar', 'regel.pest');

// ---------------------------------------------------------------- the engine

const onigLib = (async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  return {
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  };
})();

/** Loads a grammar given as JSON text, the way VS Code loads the file. */
async function loadGrammar(jsonText) {
  const registry = new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) =>
      scopeName === 'source.regel' ? vsctm.parseRawGrammar(jsonText, 'regel.tmLanguage.json') : null,
  });
  const grammar = await registry.loadGrammar('source.regel');
  assert.ok(grammar, 'the grammar did not load');
  return grammar;
}

const shipped = loadGrammar(fs.readFileSync(GRAMMAR_JSON, 'utf8'));

/** Tokenizes a whole text, line by line with the state carried over, as an editor does. */
function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, state);
    state = ruleStack;
    return { line, tokens };
  });
}

/**
 * What is wrong with the highlighting of a text: characters that only have the base scope,
 * and tokens with an `invalid` scope. One entry per token, `file:line:column: …`.
 */
function problems(grammar, text, file = 'sample') {
  const found = [];
  tokenize(grammar, text).forEach(({ line, tokens }, row) => {
    for (const token of tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      const where = `${file}:${row + 1}:${token.startIndex + 1}`;
      if (piece.trim() !== '' && token.scopes.length < 2) {
        const column = token.startIndex + piece.search(/\S/) + 1;
        found.push(`${file}:${row + 1}:${column}: \`${piece.trim()}\` is not classified (only ${token.scopes[0]})`);
      }
      const invalid = token.scopes.find((scope) => scope.split('.').includes('invalid'));
      if (invalid !== undefined) {
        found.push(`${where}: \`${piece}\` is ${invalid}`);
      }
    }
  });
  return found;
}

/**
 * The scopes shared by all of the text between « and » in a sample line (a string's quotes
 * and a comment's `#` have a scope of their own besides). Fails unless the marked text starts
 * and ends on token boundaries.
 */
function scopesOf(grammar, marked) {
  const start = marked.indexOf('«');
  const end = marked.indexOf('»') - 1;
  assert.ok(start >= 0 && end > start, `mark the token in ${marked} with «»`);
  const line = marked.replace('«', '').replace('»', '');
  const [{ tokens }] = tokenize(grammar, line);
  const covering = tokens.filter(
    (t) => t.startIndex < end && t.endIndex > start && line.slice(t.startIndex, t.endIndex).trim() !== '',
  );
  assert.ok(
    covering.length > 0 && covering[0].startIndex === start && covering.at(-1).endIndex === end,
    `\`${line.slice(start, end)}\` in \`${line}\` is not whole tokens: ${JSON.stringify(
      covering.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1)]),
    )}`,
  );
  return covering[0].scopes.filter((scope) => covering.every((t) => t.scopes.includes(scope)));
}

function assertScope(grammar, marked, prefix) {
  const scopes = scopesOf(grammar, marked);
  assert.ok(
    scopes.some((scope) => scope.startsWith(prefix)),
    `\`${marked}\`: expected a scope starting with ${prefix}, got ${scopes.join(' ')}`,
  );
}

// ---------------------------------------------------------------- the repository's rule files

/** Every .regel file under rules/, regions/ and tests/, relative to the repository root. */
function ruleFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.regel')) {
        found.push(path.relative(REPO, full));
      }
    }
  };
  for (const top of ['rules', 'regions', 'tests']) {
    walk(path.join(REPO, top));
  }
  return found.sort();
}

// A fixture says what `regel check` reports on it in its first line, `# förväntat: R0001`.
// Those that expect a syntax error (R0001) or are not UTF-8 (R0002) are not valid rule files.
const NOT_VALID = ['R0001', 'R0002'];

function isValid(text) {
  const expected = /^# förväntat:(.*)$/m.exec(text.split('\n', 1)[0]);
  return !(expected && NOT_VALID.some((code) => expected[1].includes(code)));
}

test('every valid rule file in the repository is fully classified, with no invalid scope', async () => {
  const grammar = await shipped;
  const files = ruleFiles();
  let checked = 0;
  const found = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    if (!isValid(text)) {
      continue;
    }
    checked += 1;
    found.push(...problems(grammar, text, file));
  }
  // The national rules, two regions and the fixtures: far more than this.
  assert.ok(checked >= 40, `only ${checked} rule files found under ${REPO}`);
  assert.deepEqual(found, [], `\n${found.slice(0, 40).join('\n')}`);
});

// ---------------------------------------------------------------- spot checks

test('spot checks: the scopes a reader sees', async () => {
  const g = await shipped;
  const cases = [
    ['  «går före» grupp urval', 'keyword.control'],
    ['  går före grupp «urval»', 'entity.name.namespace.group'],
    ['  går före «N3a», grupp urval', 'entity.name.function.rule'],
    ['  går före grupp urval, «RJH-3.4»', 'entity.name.function.rule'],
    ['  datum = «2026-05-01»', 'constant.numeric.date'],
    ['  källa «"RJH ramverk 1.1"»', 'string.quoted.double'],
    ['«# Nationellt ramverk»', 'comment.line.number-sign'],
    ['  om a  «# en kommentar efter ett villkor»', 'comment.line.number-sign'],
    ['regel «N1» "Patienten ser sina egna uppgifter"', 'entity.name.function.rule'],
    ['«regel» N1 "Patienten ser sina egna uppgifter"', 'storage.type'],
    ['avsteg «RJH-3.4a» "Förlängd åtkomst"', 'entity.name.function.deviation'],
    ['  ersätter regel «N3a»', 'entity.name.function.rule'],
    ['  stryker regel «N4»', 'entity.name.function.rule'],
    ['  ersätter beslut «upplåsning»', 'entity.name.class.decision'],
    ['  beslut «direktåtkomst»', 'entity.name.class.decision'],
    ['typ «Läsare»: patient, vårdnadshavare', 'entity.name.type'],
    ['typ Läsare: patient, «vårdnadshavare»', 'variable.other.enummember'],
    ['fakta «patient.födelsedatum»: datum', 'entity.name.variable.fact'],
    ['fakta datum: «datum»', 'support.type.builtin'],
    ['fakta post.vårdenhet: «id»', 'support.type.builtin'],
    ['fakta post.text: «text»', 'support.type.builtin'],
    ['fakta a: «sant/falskt» = falskt', 'support.type.builtin'],
    ['fakta a: sant/falskt = «falskt»', 'constant.language.boolean'],
    ['fakta antal: «heltal» 0..120 = 0', 'support.type.builtin'],
    ['fakta antal: heltal 0«..»120 = 0', 'keyword.operator.range'],
    ['fakta antal: heltal 0..«120» = 0', 'constant.numeric.integer'],
    ['fakta post.försegling: «Försegling» = ingen', 'entity.name.type'],
    ['fakta post.försegling: Försegling = «ingen»', 'variable.other.enummember'],
    ['  om «patient.ålder» >= 16', 'variable.other.fact'],
    ['  om läsare = «patient»', 'variable.other.enummember'],
    ['  om begäran.från «≠» patienten', 'keyword.operator.comparison'],
    ['  om begäran.från ≠ «patienten»', 'variable.other.enummember'],
    ['  om begäran.från != «patienten»', 'variable.other.enummember'],
    ['  om datum «<=» vårdförsegling.slutdatum', 'keyword.operator.comparison'],
    ['  om datum <= «vårdförsegling.slutdatum»', 'variable.other.fact'],
    ['  om post.undantag «i» {inget}', 'keyword.operator.membership'],
    ['  om post.undantag i {inget, «synnerlig_vikt»}', 'variable.other.enummember'],
    ['härledd post.ny = post.datum > datum - «14» dagar', 'constant.numeric.integer'],
    ['härledd post.ny = post.datum > datum - 14 «dagar»', 'keyword.other.unit'],
    ['  och datum < post.signerad + 6 «månader»', 'keyword.other.unit'],
    ['härledd «patient.ålder» = ålder(patient.födelsedatum, datum)', 'entity.name.variable.fact'],
    ['härledd patient.ålder = «ålder»(patient.födelsedatum, datum)', 'support.function.builtin'],
    ['härledd patient.ålder «=» ålder(patient.födelsedatum, datum)', 'keyword.operator.assignment'],
    ['  då «visa» skäl egen_åtkomst', 'support.constant.outcome'],
    ['  då visa skäl «egen_åtkomst»', 'entity.name.label.reason'],
    ['  standard «dölj» skäl ingen_behörighet', 'support.constant.outcome'],
    ['  förväntat «visa»', 'support.constant.outcome'],
    ['  aldrig «visa» när läsare = ombud', 'support.constant.outcome'],
    ['  alltid «dölj» när läsare = ombud', 'support.constant.outcome'],
    ['  utfall visa, «dölj»', 'support.constant.outcome'],
    ['  «förväntat fel»', 'keyword.control'],
    ['  utökar «Undantag» med tidig_hypotes', 'entity.name.type'],
    ['  utökar Undantag med «tidig_hypotes»', 'variable.other.enummember'],
    ['regelverk "VGR" «bygger på» "../../rules"', 'keyword.other'],
    // `finns` is a keyword of optional facts, but still a segment of a dotted name.
    ['  om «vårdförsegling.finns»', 'variable.other.fact'],
  ];
  for (const [marked, prefix] of cases) {
    assertScope(g, marked, prefix);
    assert.deepEqual(problems(g, marked.replace(/[«»]/g, '')), [], marked);
  }
});

test('lists continue over lines and end at the next keyword', async () => {
  const g = await shipped;
  const text = [
    'typ Kategori: vårdkontakt,',
    '  anteckning, diagnos',
    'fakta post.kategori: Kategori',
    'regel N1 "Titel"',
    '  går före grupp urval,',
    '    N2',
    '  om post.kategori i {vårdkontakt,',
    '    anteckning',
    'regel N3 "En mängd utan slut slukar inte nästa regel"',
  ].join('\n');
  const lines = tokenize(g, text);
  const scopeAt = (row, word) => {
    const { line, tokens } = lines[row];
    const column = line.search(new RegExp(`(?<![\\p{L}.])${word}(?![\\p{L}])`, 'u'));
    return tokens.find((t) => t.startIndex <= column && column < t.endIndex).scopes.at(-1);
  };
  assert.match(scopeAt(1, 'anteckning'), /^variable\.other\.enummember/);
  assert.match(scopeAt(2, 'fakta'), /^storage\.type/);
  assert.match(scopeAt(5, 'N2'), /^entity\.name\.function\.rule/);
  assert.match(scopeAt(6, 'i'), /^keyword\.operator\.membership/);
  assert.match(scopeAt(7, 'anteckning'), /^variable\.other\.enummember/);
  assert.match(scopeAt(8, 'regel'), /^storage\.type/);
  assert.match(scopeAt(8, 'N3'), /^entity\.name\.function\.rule/);
});

// ---------------------------------------------------------------- derived from regel.pest

/** The quoted literals of a pest rule body, leaving out look-aheads such as `&"("`. */
function literals(body) {
  return [...body.matchAll(/(?<![&!]\s*)"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
}

/** The body of `name = … { … }` in regel.pest. */
function ruleBody(pest, name) {
  const match = new RegExp(`^${name}\\s*=\\s*[@_$]?\\{([\\s\\S]*?)\\}\\s*$`, 'm').exec(pest);
  assert.ok(match, `no rule \`${name}\` in grammar/regel.pest`);
  return match[1];
}

// A sample line for each keyword of regel.pest, with the keyword marked, and the scope it must
// get. A keyword added to regel.pest without a sample here fails the test below: teach
// syntaxes/build.js the new syntax and add a line here.
const KEYWORD_SAMPLES = {
  regelverk: ['«regelverk» "Test"', 'storage.type'],
  bygger: ['regelverk "Test" «bygger» på "../../rules"', 'keyword.other'],
  på: ['regelverk "Test" bygger «på» "../../rules"', 'keyword.other'],
  typ: ['«typ» Läsare: patient, ombud', 'storage.type'],
  fakta: ['«fakta» läsare: Läsare', 'storage.type'],
  härledd: ['«härledd» post.ny = post.datum > datum - 14 dagar', 'storage.type'],
  beslut: ['«beslut» direktåtkomst', 'storage.type'],
  utfall: ['  «utfall» visa, dölj', 'keyword.other'],
  standard: ['  «standard» dölj skäl ingen_behörighet', 'keyword.control'],
  skäl: ['  standard dölj «skäl» ingen_behörighet', 'keyword.other'],
  regel: ['«regel» N1 "Titel"', 'storage.type'],
  källa: ['  «källa» "RJH ramverk 1.1"', 'keyword.other'],
  grupp: ['  «grupp» åtkomst', 'keyword.other'],
  // Reserved on its own too: never a name.
  går: ['  «går»', 'keyword.control'],
  'går före': ['  «går före» grupp urval, N3a', 'keyword.control'],
  om: ['  «om» läsare = patient', 'keyword.control'],
  då: ['  «då» visa skäl egen_åtkomst', 'keyword.control'],
  avsteg: ['«avsteg» RJH-3.4 "Titel"', 'storage.type'],
  motivering: ['  «motivering» "Därför"', 'keyword.other'],
  ersätter: ['  «ersätter» regel N4', 'keyword.other'],
  stryker: ['  «stryker» regel N4', 'keyword.other'],
  ny: ['  «ny» regel', 'keyword.other'],
  omdefinierar: ['  «omdefinierar» post.ny = sant', 'keyword.other'],
  utökar: ['  «utökar» Undantag med tidig_hypotes', 'keyword.other'],
  med: ['  utökar Undantag «med» tidig_hypotes', 'keyword.other'],
  invariant: ['«invariant» "Titel"', 'storage.type'],
  alltid: ['  «alltid» dölj när läsare = ombud', 'keyword.control'],
  aldrig: ['  «aldrig» visa när läsare = ombud', 'keyword.control'],
  när: ['  aldrig visa «när» läsare = ombud', 'keyword.control'],
  exempel: ['«exempel» "Titel"', 'storage.type'],
  förväntat: ['  «förväntat» visa skäl egen_åtkomst', 'keyword.control'],
  fel: ['  förväntat «fel»', 'keyword.control'],
  och: ['  om a «och» b', 'keyword.operator.logical'],
  eller: ['  om a «eller» b', 'keyword.operator.logical'],
  inte: ['  om «inte» a', 'keyword.operator.logical'],
  i: ['  om post.undantag inte «i» {inget}', 'keyword.operator.membership'],
  sant: ['  post.signerad = «sant»', 'constant.language.boolean'],
  falskt: ['  om a = «falskt»', 'constant.language.boolean'],
  heltal: ['fakta antal: «heltal» 0..120 = 0', 'support.type.builtin'],
  ålder: ['härledd patient.ålder = «ålder»(patient.födelsedatum, datum)', 'support.function.builtin'],
  läses: ['fakta a: sant/falskt («läses» av regioner)', 'keyword.other'],
  av: ['fakta a: sant/falskt (läses «av» regioner)', 'keyword.other'],
  regioner: ['fakta a: sant/falskt = falskt (läses av «regioner»)', 'keyword.other'],
  // Optional facts, interpretations, periods of validity, delayed showing, striking an
  // invariant.
  saknas: ['  om vårdförsegling.slutdatum «saknas»', 'keyword.operator'],
  finns: ['  om vårdförsegling.slutdatum «finns»', 'keyword.operator'],
  kan: ['fakta vårdförsegling.slutdatum: datum, «kan» saknas', 'keyword.other'],
  'kan saknas': ['fakta vårdförsegling.slutdatum: datum, kan «saknas»', 'keyword.other'],
  kräver: ['  «kräver» vårdförsegling.slutdatum', 'keyword.other'],
  tolkning: ['  «tolkning» "Så läser vi punkt 3"', 'keyword.other'],
  gäller: ['  «gäller» från 2026-05-01', 'keyword.other'],
  från: ['  gäller «från» 2026-05-01', 'keyword.other'],
  till: ['  gäller «till» och med 2026-12-31', 'keyword.other'],
  'gäller från': ['  «gäller från» 2026-05-01', 'keyword.other'],
  'gäller till och med': ['  «gäller till och med» 2026-12-31', 'keyword.other'],
  visas: ['  då dölj skäl osignerad «visas» från post.datum + 14 dagar', 'keyword.other'],
  'visas från': ['  då dölj «visas från» post.datum + 14 dagar', 'keyword.other'],
  'stryker invariant': ['  «stryker invariant» "Titel"', 'keyword.other'],
};

test('every keyword of grammar/regel.pest is highlighted as one', async () => {
  const g = await shipped;
  const pest = fs.readFileSync(PEST, 'utf8');
  const keywords = new Set(literals(ruleBody(pest, 'keyword')));
  for (const match of pest.matchAll(/^kw_\w+\s*=\s*@\{(.*)\}\s*$/gm)) {
    keywords.add(literals(match[1]).join(' '));
  }
  assert.ok(keywords.size >= 35, `only ${keywords.size} keywords read from regel.pest`);
  const missing = [...keywords].filter((word) => !(word in KEYWORD_SAMPLES));
  assert.deepEqual(missing, [], 'keywords in grammar/regel.pest with no sample in this test');
  for (const word of keywords) {
    const [marked, prefix] = KEYWORD_SAMPLES[word];
    assertScope(g, marked, prefix);
  }
  for (const [marked] of Object.values(KEYWORD_SAMPLES)) {
    assert.deepEqual(problems(g, marked.replace(/[«»]/g, '')), [], marked);
  }
});

test('the words pest reserves are the ones the grammar keeps out of names', () => {
  const pest = fs.readFileSync(PEST, 'utf8');
  const reserved = literals(ruleBody(pest, 'keyword'));
  const missing = reserved.filter((word) => !build.RESERVED.includes(word));
  assert.deepEqual(missing, [], 'add these to RESERVED in syntaxes/build.js');
});

test('every operator, unit and built-in type of grammar/regel.pest is highlighted', async () => {
  const g = await shipped;
  const pest = fs.readFileSync(PEST, 'utf8');
  const cases = [];
  for (const op of literals(ruleBody(pest, 'compare_op'))) {
    cases.push([`  om patient.ålder «${op}» 16`, 'keyword.operator.comparison']);
  }
  for (const op of literals(ruleBody(pest, 'shift_op'))) {
    cases.push([`  om post.datum > datum «${op}» 14 dagar`, 'keyword.operator.arithmetic']);
  }
  const units = literals(ruleBody(pest, 'unit'));
  assert.deepEqual([...units].sort(), [...build.UNITS].sort(), 'units in regel.pest and syntaxes/build.js');
  for (const unit of units) {
    cases.push([`  om post.datum > datum - 2 «${unit}»`, 'keyword.other.unit']);
  }
  for (const match of pest.matchAll(/^\w+_type\s*=\s*@\{(.*)\}\s*$/gm)) {
    for (const type of literals(match[1])) {
      cases.push([`fakta x: «${type}»`, 'support.type.builtin']);
    }
  }
  assert.ok(cases.length >= 20, `only ${cases.length} operators, units and types read from regel.pest`);
  for (const [marked, prefix] of cases) {
    assertScope(g, marked, prefix);
    assert.deepEqual(problems(g, marked.replace(/[«»]/g, '')), [], marked);
  }
});

test('the shipped JSON is what syntaxes/build.js writes', () => {
  assert.equal(
    fs.readFileSync(GRAMMAR_JSON, 'utf8'),
    build.text,
    'syntaxes/regel.tmLanguage.json is out of date: run `npm run grammar`',
  );
});

// ---------------------------------------------------------------- the checks can fail

test('a token the language does not have is reported as invalid', async () => {
  const g = await shipped;
  const found = problems(g, 'regel N1 "Titel"\n  om a && b; c\n  då visa');
  assert.deepEqual(found, [
    'sample:2:8: `&` is invalid.illegal.character.regel',
    'sample:2:9: `&` is invalid.illegal.character.regel',
    'sample:2:12: `;` is invalid.illegal.character.regel',
  ]);
});

test('a character no rule classifies is reported as unclassified', async () => {
  // The shipped grammar marks anything unknown as invalid; without that last rule the same
  // sample leaves the characters with only the base scope, and the first check catches it.
  const withoutCatchAll = structuredClone(build.grammar);
  withoutCatchAll.repository.invalid = { patterns: [] };
  const g = await loadGrammar(JSON.stringify(withoutCatchAll));
  assert.deepEqual(problems(g, '  om a && b'), ['sample:1:8: `&&` is not classified (only source.regel)']);
});
