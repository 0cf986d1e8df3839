import type { StatementRule } from '../rule-context.js';

/**
 * dynamic-sql for statements that run code the guard cannot see into: DO blocks, EXECUTE of a
 * prepared statement, CALL of a procedure. (CREATE FUNCTION only stores its body, so it is fine.)
 */
export const checkOpaqueCode: StatementRule = (statement) => {
  if ('DoStmt' in statement) {
    return [{ rule: 'dynamic-sql', message: 'DO block: its procedural body is not analysed' }];
  }
  if ('ExecuteStmt' in statement) {
    return [{ rule: 'dynamic-sql', message: 'EXECUTE of a prepared statement is not analysed' }];
  }
  if ('CallStmt' in statement) {
    return [{ rule: 'dynamic-sql', message: 'CALL of a procedure: its body is not analysed' }];
  }
  return [];
};
