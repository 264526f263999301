import type { Category } from '../schemas/risk.ts';

/**
 * Verbs by the category they point to. A tool's name is the strongest signal of what
 * it does, so these are matched against the words of the name first, then against
 * the leading verb of the description.
 */
export const VERBS: Record<Category, readonly string[]> = {
  financial: [
    'pay', 'charge', 'refund', 'purchase', 'buy', 'sell', 'checkout', 'withdraw', 'deposit', 'trade',
    'invoice', 'donate', 'tip', 'bill', 'payout',
  ],
  destructive: [
    'delete', 'remove', 'rm', 'drop', 'destroy', 'purge', 'wipe', 'erase', 'truncate', 'clear', 'reset',
    'kill', 'terminate', 'uninstall', 'revoke', 'unlink', 'rmdir', 'discard', 'overwrite', 'prune',
    'flatten', 'redact', 'scrub', 'shred', 'evict', 'unpublish', 'deactivate', 'cancel',
  ],
  execute: [
    'run', 'exec', 'execute', 'eval', 'evaluate', 'spawn', 'launch', 'invoke', 'shell', 'compile',
    'install', 'deploy', 'interpret',
  ],
  write: [
    'create', 'write', 'update', 'set', 'add', 'insert', 'edit', 'modify', 'save', 'export', 'upload',
    'send', 'post', 'put', 'patch', 'rename', 'move', 'copy', 'replace', 'apply', 'merge', 'append',
    'commit', 'push', 'publish', 'navigate', 'click', 'fill', 'press', 'type', 'drag', 'hover', 'select',
    'close', 'start', 'stop', 'enable', 'disable', 'lock', 'unlock', 'restart', 'generate',
    'convert', 'import', 'sort', 'split', 'duplicate', 'promote', 'demote', 'mark', 'resolve', 'reply',
    'accept', 'reject', 'restore', 'format', 'sanitize', 'inject', 'intercept', 'init', 'initialize',
    'reload', 'record', 'capture', 'dismiss', 'suppress', 'upsert', 'register', 'configure', 'toggle',
    'assign', 'attach', 'share', 'invite', 'schedule', 'book', 'submit', 'approve', 'archive', 'comment',
    'tag', 'label', 'new', 'restart', 'email', 'notify', 'store', 'remember', 'log', 'fork', 'clone',
    'sync', 'resize', 'crop', 'draw', 'annotate', 'bookmark', 'change', 'transform', 'rewrite', 'fix',
    'continue', 'refine',
  ],
  read: [
    'get', 'list', 'read', 'search', 'find', 'fetch', 'show', 'view', 'describe', 'inspect', 'count',
    'check', 'validate', 'diff', 'compare', 'analyze', 'analyse', 'summarize', 'summarise', 'extract',
    'query', 'lookup', 'explain', 'review', 'audit', 'think', 'reason', 'brainstorm', 'ask', 'research',
    'judge', 'critique', 'estimate', 'preview', 'status', 'info', 'stats', 'wait', 'watch', 'detect',
    'diagnose', 'scan', 'browse', 'retrieve', 'calculate', 'translate', 'visualize', 'visualise',
    'outline', 'take', 'download', 'load', 'peek', 'poll', 'discover', 'recommend', 'replay', 'test',
    'lint', 'verify', 'parse', 'debug', 'plan', 'scout', 'explore', 'chat', 'answer',
    'suggest', 'monitor', 'open', 'ping', 'health', 'whoami', 'echo',
  ],
};

/** Nouns in a tool's name that make any verb on them a money movement: `create_payment`, `issue_refund`. */
export const FINANCIAL_NOUNS = new Set(['payment', 'payments', 'invoice', 'invoices', 'refund', 'refunds', 'payout', 'payouts', 'charge', 'charges', 'transaction', 'transactions', 'checkout', 'wallet', 'subscription', 'purchase', 'withdrawal']);

/**
 * Verbs that keep their meaning as the second word of a compound name such as
 * `find_replace` or `read_and_delete` (most verbs there are nouns: `list_comment_threads`).
 */
export const COMPOUND_VERBS = new Set(['replace', 'delete', 'remove', 'write', 'update', 'create', 'execute', 'run', 'send', 'overwrite', 'drop', 'upload', 'purge', 'destroy']);

/** Argument-name prefixes that mark where a tool writes its output. */
export const OUTPUT_ARGUMENT = /^(output|out|dest|destination|save|target|export)([_-]?(path|file|dir|directory|folder|filename))$/i;

/** Verbs that also send data out of the system the agent is working in. */
export const OUTBOUND_VERBS = new Set(['send', 'post', 'publish', 'upload', 'share', 'email', 'notify', 'invite', 'push']);

/** Phrases in a description, with the category they suggest and how strongly. */
export const DESCRIPTION_PHRASES: ReadonlyArray<{ pattern: RegExp; suggests: Category; weight: number; why: string }> = [
  { pattern: /\b(permanently|irreversibl[ey]|cannot be undone|can't be undone)\b/i, suggests: 'destructive', weight: 2, why: 'says the effect is permanent' },
  { pattern: /\b(overwrit(e|es|ing|ten))\b/i, suggests: 'destructive', weight: 2, why: 'says it overwrites existing data' },
  { pattern: /\b(delet(e|es|ing)|remov(e|es|ing)|eras(e|es|ing)|wip(e|es|ing)|destroy(s|ing)?|purg(e|es|ing)|drop(s|ping)? (the |a )?(table|database|collection|index))\b/i, suggests: 'destructive', weight: 1.5, why: 'says it deletes or removes data' },
  { pattern: /\b(execut(e|es|ing)|run(s|ning)?|eval(uate|uates|uating)?)\b[^.\n]{0,40}\b(javascript|js|python|code|script|shell|command|commands|sql|bash|program|binary|process)\b/i, suggests: 'execute', weight: 2.5, why: 'says it runs code or commands' },
  { pattern: /\b(arbitrary (code|commands?|scripts?|sql)|shell command|system command|subprocess|child process)\b/i, suggests: 'execute', weight: 2.5, why: 'mentions arbitrary code or shell commands' },
  { pattern: /\b(payments?|charges? (a|the) (card|customer)|refunds?|transfers? (funds|money)|purchases?|invoices?|billing|credit card|wallet|funds)\b/i, suggests: 'financial', weight: 2, why: 'talks about payments or money' },
  { pattern: /\b(writes?|saves?|creates?|updates?|modif(y|ies)|inserts?|uploads?|sends?|posts?|publish(es)?|exports?) [^.\n]{0,30}\b(file|files|disk|document|database|record|message|email|repository|page)\b/i, suggests: 'write', weight: 1, why: 'says it writes or sends data' },
  { pattern: /^\s*(returns?|lists?|gets?|reads?|retrieves?|shows?|fetch(es)?|searches|finds?|counts?|displays?)\b/i, suggests: 'read', weight: 1, why: 'starts by saying what it returns' },
];

/** Phrases that point to secrets or credentials being read or exposed. */
export const SECRET_PATTERN =
  /\b(environment variables?|env vars?|secrets?|credentials?|passwords?|api[ _-]?keys?|access tokens?|auth tokens?|bearer tokens?|private keys?|cookies?|session tokens?|ssh keys?|\.env)\b/i;

/** Phrases that make a destructive tool critical: no undo, or a whole store at once. */
export const SEVERE_PATTERN =
  /\b(permanently|irreversibl[ey]|cannot be undone|recursive(ly)?|drop (table|database|schema)|wipe|purge|entire (database|disk|directory|bucket|account))\b/i;

/** Argument names by the kind of danger they carry. Matched on whole words of the name. */
export const ARGUMENT_KINDS = {
  command: ['command', 'cmd', 'shell', 'bash', 'argv', 'exec'],
  code: ['code', 'script', 'expression', 'javascript', 'js', 'python', 'eval', 'snippet', 'source'],
  sql: ['sql', 'statement'],
  path: ['path', 'paths', 'file', 'files', 'filename', 'filepath', 'dir', 'directory', 'folder', 'cwd', 'root'],
  url: ['url', 'urls', 'uri', 'endpoint', 'href', 'link', 'webhook', 'host', 'hostname', 'domain'],
  amount: ['amount', 'price', 'cost', 'currency', 'quantity', 'total', 'fee'],
  credential: ['password', 'passwd', 'token', 'secret', 'apikey', 'credential', 'credentials', 'auth', 'authorization', 'cookie', 'cookies'],
  recipient: ['to', 'recipient', 'recipients', 'email', 'cc', 'bcc', 'channel', 'phone'],
} as const;

export type ArgumentKind = keyof typeof ARGUMENT_KINDS;

export const ARGUMENT_KIND_LABELS: Record<ArgumentKind, string> = {
  command: 'a shell command',
  code: 'code to run',
  sql: 'an SQL statement',
  path: 'a filesystem path',
  url: 'a URL',
  amount: 'an amount of money',
  credential: 'a credential',
  recipient: 'a recipient',
};

/** Instructions aimed at the model rather than the user: the signature of tool poisoning. */
export const MODEL_INSTRUCTION_PATTERNS: ReadonlyArray<{ pattern: RegExp; why: string }> = [
  { pattern: /\b(ignore|disregard|forget) (all |any )?(the )?(previous|prior|above|earlier|other) (instructions|rules|prompts?|messages)\b/i, why: 'tells the model to ignore its instructions' },
  { pattern: /\b(do not|don't|never) (tell|inform|mention|reveal|show|disclose)[^.\n]{0,20}\b(the )?(user|human|operator)\b/i, why: 'tells the model to hide something from the user' },
  { pattern: /<\s*(important|system|instructions?|secret)\s*>/i, why: 'contains a pseudo-tag that addresses the model' },
  { pattern: /\b(before|after|instead of) (using|calling|running|invoking) (this|any|the|another|other) tools?\b/i, why: 'tells the model what to do around other tool calls' },
  { pattern: /\b(read|open|cat|send|include|pass|upload)\b[^.\n]{0,40}(~\/\.ssh|id_rsa|\.env\b|\/etc\/passwd|mcp\.json|credentials|api[ _-]?keys?)/i, why: 'asks the model to read or pass on secrets' },
  { pattern: /\b(you (must|should) (always|first|also)|always (call|use|run) this tool|this tool (must|should) (always )?be (called|used))\b/i, why: 'gives the model standing orders' },
  { pattern: /\bsystem prompt\b/i, why: 'refers to the system prompt' },
];
