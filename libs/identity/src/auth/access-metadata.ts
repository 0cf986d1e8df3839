/** Metadata keys the guards read and the OpenAPI decorators document. */
export const IS_PUBLIC = 'identity:public';
export const ROLES = 'identity:roles';
