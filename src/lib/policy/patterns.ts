/**
 * The argument checks the recommended rules use, with what each stops and what it cannot. No
 * imports: the evaluator's callers in the browser use these descriptions too.
 *
 * Patterns are RE2 syntax (the evaluator runs them with RE2 semantics, as Intercept does).
 * Where a block list of bad strings leaks, the check is an allow list: a path or a URL is
 * allowed only in a shape whose meaning no filesystem or URL parser reads differently
 * (`op: "not_regex"` in `deny_if`: the call is denied unless the value matches the safe shape).
 * Where no allow list can describe the safe values (code, commands, SQL), the check is a
 * case-insensitive block list, named for what it is: a speed bump, not a sandbox.
 */

/**
 * Characters that Unicode compatibility normalisation (NFKC) folds into `.`, `/`, `\`, `~` or
 * `:`; a server that normalises its input would read them as path syntax. The unit tests check
 * this list against String.prototype.normalize over the whole Basic Multilingual Plane.
 */
export const PATH_LOOKALIKES =
  '\u2024\u2025\u2026\u2100\u2101\u2105\u2106\u2488\u2489\u248a\u248b\u248c\u248d\u248e\u248f\u2490\u2491\u2492\u2493\u2494\u2495\u2496\u2497\u2498\u2499\u249a\u249b\u2a74\u33c2\u33c7\u33d8\ufe13\ufe19\ufe30\ufe52\ufe55\ufe68\uff0e\uff0f\uff1a\uff3c\uff5e';

/** Any part of a path that is not a plain segment once the start is accepted (shared by both path forms). */
/**
 * A colon anywhere but in a line range closing the last segment (`src/foo.ts:100-200`, which
 * tools that read line ranges document): so no NTFS stream name (`a.docx:Zone.Identifier`,
 * `::$DATA`) and no second colon. A stream named only by digits of a workspace file stays inside it.
 */
const PATH_COLON_UNSAFE = String.raw`:([^0-9]|$)|:[0-9]+([^0-9-]|-([^0-9]|$)|-[0-9]+[^0-9])`;

const PATH_INNER_UNSAFE = String.raw`[\\%]|${PATH_COLON_UNSAFE}|//|/\.|/$|/\s|[\x00-\x1f\x7f]|[${PATH_LOOKALIKES}]|\p{Cf}`;

/** Hosts that are internal by convention or public wildcard-DNS services that answer with any address. */
export const INTERNAL_HOST_SUFFIXES = [
  'localhost',
  'local',
  'internal',
  'intranet',
  'lan',
  'home',
  'corp',
  'private',
  'localdomain',
  'localdomain6',
  'arpa',
  'svc',
  'default',
  'consul',
  'metadata.goog',
  'test',
  'invalid',
  'onion',
  'nip.io',
  'sslip.io',
  'xip.io',
  'nip.direct',
  'traefik.me',
  'localtest.me',
  'lvh.me',
  'vcap.me',
  'fuf.me',
  'localho.st',
  'lacolhost.com',
  'localhost.direct',
  'local.gd',
  'xip.name',
  'localh.st',
  'backname.io',
  'smackaho.st',
  '1u.ms',
  'rbndr.us',
  'rebind.it',
  'rebind.network',
] as const;

const escapeRe2 = (text: string) => text.replace(/[\\.+*?()|[\]{}^$]/g, (ch) => `\\${ch}`);

/** Statements and functions that write data, run programs or read files, in SQL, Cypher and aggregation pipelines. */
const SQL_WORDS = [
  'drop',
  'delete',
  'truncate',
  'alter',
  'create',
  'replace',
  'merge',
  'upsert',
  'insert',
  'update',
  'grant',
  'revoke',
  'attach',
  'detach',
  'copy',
  'load',
  'into',
  'outfile',
  'dumpfile',
  'call',
  'exec',
  'execute',
  'pragma',
  'vacuum',
  'set',
  'remove',
  'rename',
  'lock',
  'import',
  'install',
  'handler',
  'prepare',
  'shutdown',
  'kill',
  'reindex',
  'refresh',
  'cluster',
  'notify',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'lo_import',
  'lo_export',
  'load_file',
  'load_extension',
  'readfile',
  'writefile',
  'xp_cmdshell',
  'sp_execute_external_script',
  'openrowset',
  'opendatasource',
  'openquery',
  'dblink',
  'pg_sleep',
  'sleep',
  'benchmark',
];

/** Word field types that run programs, read files or fetch URLs when the document opens or updates. */
const FIELD_WORDS = [
  'dde',
  'ddeauto',
  'includetext',
  'includepicture',
  'include',
  'link',
  'import',
  'hyperlink',
  'database',
  'embed',
  'rd',
  'macrobutton',
  'gotobutton',
  'print',
  'autotext',
  'autotextlist',
  'glossary',
  'filename',
  'template',
  'ask',
  'fillin',
];

/** Field types that only show document facts, numbers or dates. */
const FIELD_TYPES_ALLOWED = [
  'page',
  'numpages',
  'sectionpages',
  'section',
  'date',
  'time',
  'createdate',
  'savedate',
  'printdate',
  'edittime',
  'author',
  'title',
  'subject',
  'keywords',
  'comments',
  'lastsavedby',
  'numwords',
  'numchars',
  'revnum',
  'seq',
  'ref',
  'pageref',
  'noteref',
  'styleref',
  'toc',
  'tc',
  'xe',
  'index',
  'listnum',
  'autonum',
  'autonumlgl',
  'autonumout',
  'mergefield',
  'mergerec',
  'mergeseq',
  'next',
  'nextif',
  'skipif',
  'if',
  'compare',
  'quote',
  'symbol',
  'eq',
  'advance',
  'docproperty',
  'docvariable',
  'username',
  'userinitials',
  'filesize',
  'barcode',
  'set',
];

/**
 * Windows device names: a segment whose name before the first dot is one of these opens the
 * device, not a file, in any letter case and with any extension (`CON`, `nul.txt`, `COM1.docx`).
 */
const WINDOWS_DEVICES = [
  'con',
  'prn',
  'aux',
  'nul',
  'clock$',
  'conin$',
  'conout$',
  ...['com', 'lpt'].flatMap((stem) => [...'0123456789\u00b9\u00b2\u00b3'].map((digit) => `${stem}${digit}`)),
];

/**
 * Top-level system folders. A server started with its working directory at `/` (Claude Desktop
 * starts stdio servers there) resolves `etc/shadow` to /etc/shadow, so a relative path may not
 * start with one, in any letter case (macOS and Windows folders are case-insensitive).
 */
const SYSTEM_FOLDERS = [
  'etc',
  'proc',
  'sys',
  'dev',
  'var',
  'usr',
  'bin',
  'sbin',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'boot',
  'root',
  'home',
  'opt',
  'srv',
  'mnt',
  'media',
  'run',
  'tmp',
  'snap',
  'cores',
  'users',
  'library',
  'system',
  'applications',
  'volumes',
  'network',
  'private',
  'windows',
  'system32',
  'programdata',
  'program files',
  'program files (x86)',
  'documents and settings',
  'recovery',
  'perflogs',
  'inetpub',
];

/** The largest amount the recommended rules let through. */
export const AMOUNT_CAP = 100;

/** Argument checks, each with the reason a reader is given and what it cannot stop. */
export const CONDITION_PATTERNS = {
  /** deny_if regex: anything that is not a relative path of plain segments inside the workspace. */
  path: {
    value: String.raw`^$|^[~/\\.\s]|^[A-Za-z]:|${PATH_INNER_UNSAFE}`,
    why: 'a path outside the workspace: only relative paths of plain segments are allowed (no absolute, ~, drive or UNC path, no backslash or percent escape, no colon but a line range ending the path such as :100-200, no empty, . or .. segment, no segment starting with a dot such as .ssh or .env, no control character or look-alike of / . \\ ~ :)',
    cannot:
      'a symbolic link inside the workspace that points out of it, or a file in the workspace that other tools run (a Makefile, a virtual environment without a leading dot); and a relative path is only inside the workspace if the server resolves it there: a server started in / (as Claude Desktop starts them) reads other top-level folders, so set a root',
  },
  /** deny_if regex beside a root prefix check: the same segment rules after the root. */
  rootedPath: {
    value: PATH_INNER_UNSAFE,
    why: 'a path that leaves the root: no backslash, colon or percent escape, no empty, . or .. segment, no segment starting with a dot, no control character or look-alike of / . \\ ~ :',
    cannot: 'a symbolic link under the root that points out of it',
  },
  /** deny_if regex beside either path check: NTFS 8.3 short names (`GIT~1` is `.git`). */
  shortName: {
    value: '~[0-9]',
    why: 'a Windows 8.3 short name (GIT~1 is .git on NTFS): no ~ followed by a digit',
    cannot: 'a long name that is itself harmful; short names of folders without a dot',
  },
  /** deny_if regex beside either path check: Windows device names as a segment. */
  windowsDevice: {
    value: `(?i)(^|/)(${WINDOWS_DEVICES.map(escapeRe2).join('|')})([./:]|$)`,
    why: 'a Windows device name as a segment (CON, PRN, AUX, NUL, COM1-9, LPT1-9, CONIN$, CONOUT$), in any letter case, with or without an extension',
    cannot: 'a device name followed by spaces, which some Windows APIs also open as the device',
  },
  /** deny_if regex beside the relative path check: a first segment that is a top-level system folder. */
  systemFolder: {
    value: `(?i)^(${SYSTEM_FOLDERS.map(escapeRe2).join('|')})(/|$)`,
    why: `a relative path starting with a top-level system folder (${SYSTEM_FOLDERS.join(', ')}), in any letter case: a server started in / reads it from there`,
    cannot:
      'a server whose working directory is not your workspace: a relative path is resolved from wherever the server runs (Claude Desktop starts servers in /), so other folders there are reachable; set a root',
  },
  /** deny_if not_regex: the only URL shape allowed. */
  url: {
    value: String.raw`^https://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(:[0-9]{1,5})?([/?#][^\x00-\x20\x7f\\]*)?$`,
    why: 'a URL that is not https to a DNS name: only https:// with a host of ASCII labels whose last label starts with a letter, so no IP address in any notation, no single-label name, no user:password@, and no whitespace, control character, backslash or percent escape before the path',
    cannot:
      'a public DNS name that resolves to a private address (DNS rebinding, or a wildcard-DNS service not on the list), or a public host that redirects to one; only an egress firewall stops those',
  },
  /** deny_if regex: internal and wildcard-DNS names the URL shape alone lets through. */
  internalHost: {
    value: `(?i)^https://([^/?#:@]*\\.)?(${INTERNAL_HOST_SUFFIXES.map(escapeRe2).join('|')})([:/?#]|$)`,
    why: `an internal-by-convention name or a wildcard-DNS service that maps names to private addresses (${INTERNAL_HOST_SUFFIXES.join(', ')})`,
    cannot: 'any other name an attacker points at a private address',
  },
  command: {
    value: '[;&|`$<>\\r\\n\\x00]',
    why: 'shell metacharacters that chain or substitute commands (; & | ` $ < > and line breaks)',
    cannot: 'a single command that is harmful on its own (rm, curl to a file, an interpreter with -c); a speed bump, not a sandbox',
  },
  sql: {
    value: `(?i)\\b(${SQL_WORDS.join('|')})\\b|(^|[;/\\n\\r])[^a-z0-9_]*do\\b|\\$(out|merge|function|accumulator|where)\\b|\\b(apoc|dbms)\\.|/\\*!|\\\\u|\\b(query|cursor|table|schema|database)_to_xml\\w*|\\bpg_(terminate|cancel)_backend\\b|\\bpg_(reload_conf|rotate_logfile|promote)\\b|\\b(dblink|lo_|xp_|sp_|dbms_|utl_|sys_exec|sys_eval|pg_read|pg_ls|pg_stat_file|pg_file|pg_write)\\w*`,
    why: 'statements and functions that write, run programs or read files (DROP, DELETE, INSERT, UPDATE, REPLACE, MERGE, CREATE, ALTER, GRANT, COPY … PROGRAM, ATTACH, LOAD, INTO OUTFILE, xp_cmdshell, pg_read_file, $out, $merge, …), in any letter case',
    cannot: 'a read that is too costly or reads data the role should not see; a read-only database role is the real protection',
  },
  code: {
    value: String.raw`(?i)document\s*\??\.\s*(cookie|write|domain)|(?-i:\bFunction)\s*\(|\blocation\s*\[|localstorage|sessionstorage|indexeddb|\bfetch\b|xmlhttprequest|sendbeacon|websocket|eventsource|child_process|\brequire\s*\(|\bimport\b|__\w+__|subprocess|\bos\s*\.\s*(system|popen|exec|spawn)|\b(eval|exec|open|compile|getattr)\s*\(|\bnew\s+(function|image)\b|constructor|\bprocess\s*\.|\b(deno|bun|socket|urllib|requests|pickle|ctypes)\b|http\.client|navigator|\blocation\s*(\.\s*\w+\s*)?=[^=]|\blocation\s*\.\s*(assign|replace)\b|\.\s*(src|href|action|innerhtml|outerhtml)\s*\+?=[^=]|insertadjacenthtml|postmessage|\batob\b|fromcharcode|\\[xu][0-9a-f{]|(globalthis|window|self|this|top|parent|frames|document)\s*\[|\breflect\s*\.|cookiestore|createelement|setattribute|\bnew\s+(audio|worker|sharedworker)\b|\bset(timeout|interval)\s*\(\s*['"\x60]|\.\s*submit\s*\(|\$\s*\.\s*(ajax|get|post|getjson)\b|\baxios\b|importlib|\bbuiltins\b|\bopener\b`,
    why: 'common exfiltration and escape primitives in code, in any letter case (cookies, storage, network calls, module loading, eval, escapes that hide a name); a speed bump, not a sandbox',
    cannot: 'code that reaches the same things by a route the list does not name; run untrusted code in a sandbox',
  },
  fieldCode: {
    value: `(?i)\\b(${FIELD_WORDS.join('|')})\\b|://|\\\\\\\\|\\b[a-z]:[\\\\/]|["'\\s][/~]|^\\s*[/~]|\\bwww\\.|\\bfile:|[{}]`,
    why: 'Word field codes that run programs, read files or fetch URLs when the document opens (DDE, DDEAUTO, INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT, HYPERLINK, …) and any field that names a path or a URL',
    cannot: 'a field the list of plain fields lets through being misused by an application that reads documents differently from Word',
  },
  /** deny_if not_regex: the field type must be one that only shows document facts. */
  fieldType: {
    value: `(?i)^\\s*(=|(${FIELD_TYPES_ALLOWED.map(escapeRe2).join('|')})(\\s|$))`,
    why: 'a field type outside the plain ones (PAGE, NUMPAGES, DATE, TIME, SEQ, REF, TOC, MERGEFIELD, IF, …)',
    cannot: 'nothing more than the field-code check says',
  },
  /** deny_if not_regex for an amount sent as text: a currency code, or a number no larger than the cap. */
  amountText: {
    value: String.raw`^([A-HJ-MO-Z][A-Z]{2}|I[A-MO-Z][A-Z]|IN[A-EG-Z]|N[B-Z][A-Z]|NA[A-MO-Z]|[0-9]{1,2}(\.[0-9]{1,2})?|100(\.00?)?)$`,
    why: `an amount sent as text that is not a plain number up to ${AMOUNT_CAP} or a three-letter currency code in capitals (not INF or NAN, which Python reads as numbers)`,
    cannot: 'an amount split over many calls (the rate limit is what bounds that)',
  },
} as const;

export type PatternId = keyof typeof CONDITION_PATTERNS;

/** The root prefix check: deny_if not_regex, so a path must start with the root and a slash. */
export function rootPrefixPattern(root: string): string {
  return `^${escapeRe2(root)}/`;
}

/** Why a root cannot be used, or undefined: an absolute POSIX path of plain segments, no trailing slash. */
export function rootProblem(root: string): string | undefined {
  if (!root.startsWith('/')) return 'the root must be an absolute path starting with /';
  if (root === '/') return 'the root cannot be / (that is every file)';
  const rest = root.slice(1);
  if (new RegExp(`^$|^[~/\\\\.]|:|${PATH_INNER_UNSAFE}`, 'u').test(rest))
    return 'the root must be plain segments: no trailing slash, no empty, . or .. segment, no segment starting with a dot, no backslash, colon or control character';
  return undefined;
}

const PURPOSE = new Map<string, string>(Object.values(CONDITION_PATTERNS).map((p) => [p.value, p.why]));

/** What a recommended condition is for, in words, or undefined for a hand-written one. */
export function conditionPurpose(condition: { op: string; value?: unknown }): string | undefined {
  if ((condition.op !== 'regex' && condition.op !== 'not_regex') || typeof condition.value !== 'string') return undefined;
  const known = PURPOSE.get(condition.value);
  if (known) return known;
  if (condition.op === 'not_regex' && condition.value.startsWith('^/') && condition.value.endsWith('/'))
    return 'a path outside the root the policy was made for';
  return undefined;
}

/** The pattern a recommended condition uses, by name, or undefined for a hand-written one. */
export function patternIdOf(condition: { op: string; value?: unknown }): PatternId | undefined {
  if (typeof condition.value !== 'string') return undefined;
  for (const [id, pattern] of Object.entries(CONDITION_PATTERNS) as Array<[PatternId, { value: string }]>) {
    if (pattern.value === condition.value) return id;
  }
  return undefined;
}

/** The characters that end a URL's host label (. / ? # : @), as a regex class body. */
const LABEL_DELIMITERS = './?#:@';
/** Label characters between the URL delimiters. */
const LABEL_CHAR = `[^${LABEL_DELIMITERS}]`;

/**
 * A URL whose host is not an internal or wildcard-DNS name: the complement of `internalHost`
 * for the URLs the `url` shape lets through, as a pattern that must match (for Intercept,
 * which has no negated regex). The last label must not be an internal top-level name, and
 * under a top-level name that hosts a wildcard-DNS service the label before it must not be that service.
 */
function notInternalHostPattern(): string {
  const single = INTERNAL_HOST_SUFFIXES.filter((s) => !s.includes('.')).map((s) => s.toLowerCase());
  const byTld = new Map<string, string[]>();
  for (const suffix of INTERNAL_HOST_SUFFIXES.filter((s) => s.includes('.'))) {
    const [sld, tld] = suffix.toLowerCase().split('.') as [string, string];
    // A name under a top-level name refused whole needs no entry of its own.
    if (!single.includes(tld)) byTld.set(tld, [...(byTld.get(tld) ?? []), sld]);
  }
  const tails = [nameOtherThan([...single, ...byTld.keys()], LABEL_DELIMITERS, false)];
  for (const [tld, slds] of byTld) tails.push(`${nameOtherThan(slds, LABEL_DELIMITERS, false)}\\.${escapeRe2(tld)}`);
  return `(?i)^https://(${LABEL_CHAR}+\\.)*(${tails.join('|')})([:/?#]|$)`;
}

/**
 * A pattern for a name (characters outside `excluded`, a regex class body) that is none of
 * `words`, case-insensitive under the caller's `(?i)`; the empty name too if `allowEmpty`.
 * Built from the words' trie, as RE2 has no lookahead: at each point either the name ends
 * where no word does, or turns off every word, or follows one word a character further.
 */
function nameOtherThan(words: readonly string[], excluded: string, allowEmpty: boolean): string {
  type Node = { end: boolean; next: Map<string, Node> };
  const root: Node = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const ch of word.toLowerCase()) {
      if (!node.next.has(ch)) node.next.set(ch, { end: false, next: new Map() });
      node = node.next.get(ch)!;
    }
    node.end = true;
  }
  const build = (node: Node, atStart: boolean): string => {
    const options: string[] = [];
    if (!node.end && (!atStart || allowEmpty)) options.push('');
    const off = [...node.next.keys()].map((ch) => escapeRe2(ch)).join('');
    options.push(`[^${excluded}${off}][^${excluded}]*`);
    for (const [ch, child] of node.next) options.push(`${escapeRe2(ch)}${build(child, false)}`);
    return `(?:${options.join('|')})`;
  };
  return build(root, true);
}

/** A path segment whose name before the first dot is not a Windows device. */
const DEVICE_FREE_SEGMENT = `${nameOtherThan(WINDOWS_DEVICES, '/.:', true)}([.:][^/]*)?`;

const PATH_SEGMENT_BODY = `[^/\\\\:%\\x00-\\x1f\\x7f\\p{Cf}${PATH_LOOKALIKES}]*`;
const PATH_SEGMENT = `[^/\\\\:%\\x00-\\x1f\\x7f\\p{Cf}\\s.${PATH_LOOKALIKES}]${PATH_SEGMENT_BODY}`;
const PATH_FIRST_SEGMENT = `[^/\\\\:%\\x00-\\x1f\\x7f\\p{Cf}\\s.~${PATH_LOOKALIKES}]${PATH_SEGMENT_BODY}`;

/**
 * For each block-list check that has one, a pattern a value must match to pass it: exactly the
 * values the `deny_if` regex lets through (the unit tests hold both to the same corpus). For
 * gateways that can only require a match (Intercept). Checks with no entry are word lists whose
 * complement no pattern can write; a gateway that cannot run them refuses the argument.
 */
export const MUST_MATCH: Partial<Record<PatternId, string>> = {
  path: `^${PATH_FIRST_SEGMENT}(/${PATH_SEGMENT})*$`,
  rootedPath: `^${PATH_SEGMENT_BODY}(/${PATH_SEGMENT})*$`,
  shortName: '^(?:[^~]|~+[^~0-9])*~*$',
  windowsDevice: `(?i)^${DEVICE_FREE_SEGMENT}(/${DEVICE_FREE_SEGMENT})*$`,
  systemFolder: `(?i)^${nameOtherThan(SYSTEM_FOLDERS, '/', true)}(/|$)`,
  internalHost: notInternalHostPattern(),
  command: '^[^;&|`$<>\\r\\n\\x00]*$',
};
