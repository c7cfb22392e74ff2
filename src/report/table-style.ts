/** cli-table3 borders without a rule between rows: long operation lists stay readable. */
export const COMPACT_CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } as const;
