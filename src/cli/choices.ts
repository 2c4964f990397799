// The choices of the commands' options, apart from the commands themselves: the CLI's entry point
// offers them without loading every command's code (the admission simulator's CEL runtime, the
// rules, the analyses), so each command loads only what it runs. Each list is the one place its
// values live: the help, the parser (commander's choices) and each command's formatter table
// (a Record over the list's type, so a new format without a formatter does not compile) read it.

export const CHECK_FORMATS = ['table', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
export const DEFAULT_CHECK_FORMAT: CheckFormat = 'table';

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];
export const DEFAULT_FAIL_ON: FailOn = 'error';

export const DIFF_FORMATS = ['markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];
export const DEFAULT_DIFF_FORMAT: DiffFormat = 'markdown';

export const DIFF_FAIL_ON = ['open', 'change', 'never'] as const;
export type DiffFailOn = (typeof DIFF_FAIL_ON)[number];
export const DEFAULT_DIFF_FAIL_ON: DiffFailOn = 'never';

/** Up to this many namespaces, the diff's markdown shows the changed matrix cells as a matrix. */
export const MAX_MATRIX_NAMESPACES = 8;

export const EVIDENCE_FORMATS = ['markdown', 'json'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];
export const DEFAULT_EVIDENCE_FORMAT: EvidenceFormat = 'markdown';

export const EVIDENCE_FAIL_ON = ['fail', 'never'] as const;
export type EvidenceFailOn = (typeof EVIDENCE_FAIL_ON)[number];
export const DEFAULT_EVIDENCE_FAIL_ON: EvidenceFailOn = 'never';

export const REACH_LEVELS = ['pod', 'namespace', 'exposure'] as const;
export type ReachLevel = (typeof REACH_LEVELS)[number];

export const REACH_FORMATS = ['table', 'json', 'markdown', 'mermaid'] as const;
export type ReachFormat = (typeof REACH_FORMATS)[number];
export const DEFAULT_REACH_FORMAT: ReachFormat = 'table';

/** The width a table may take when neither --width nor a terminal says otherwise. */
export const DEFAULT_TABLE_WIDTH = 120;

export const CHECK_LEVELS = ['baseline', 'restricted'] as const;
export type CheckLevel = (typeof CHECK_LEVELS)[number];

export const POD_SECURITY_FORMATS = ['table', 'json'] as const;
export type PodSecurityFormat = (typeof POD_SECURITY_FORMATS)[number];
export const DEFAULT_POD_SECURITY_FORMAT: PodSecurityFormat = 'table';

export const ADMIT_FORMATS = ['text', 'json'] as const;
export type AdmitFormat = (typeof ADMIT_FORMATS)[number];
export const DEFAULT_ADMIT_FORMAT: AdmitFormat = 'text';
