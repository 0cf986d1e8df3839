import { type SourceName } from './source-name.js';

/** How a field of the platform's JSON is checked and which SQL type it is stored as. */
export type FieldKind = 'text' | 'email' | 'timestamp' | 'decimal' | 'percent';

export interface FieldDefinition {
  /** The platform's JSON key. */
  key: string;
  /** The local column (snake_case). */
  column: string;
  kind: FieldKind;
}

/**
 * One resource of a platform: `GET <base>/v1/<name>`, stored in `<schema>.<table>` keyed by the
 * platform's `id`. Every item also has `updated_at` and may have `deleted: true`.
 */
export interface ResourceDefinition {
  name: string;
  table: string;
  fields: FieldDefinition[];
  /** The column whose email links a row to the local user (users.email, case-insensitive). */
  userEmailColumn?: string;
}

export interface SourceDefinition {
  name: SourceName;
  /** The schema the source writes into, and where its sync_state lives. */
  schema: string;
  /** Pulled in this order: parents first, so links resolve in the same run. */
  resources: ResourceDefinition[];
}

export const SOURCE_DEFINITIONS: Record<SourceName, SourceDefinition> = {
  mrlearn: {
    name: 'mrlearn',
    schema: 'mrlearn',
    resources: [
      {
        name: 'learners',
        table: 'learners',
        fields: [
          { key: 'email', column: 'email', kind: 'email' },
          { key: 'name', column: 'name', kind: 'text' },
        ],
        userEmailColumn: 'email',
      },
      {
        name: 'enrollments',
        table: 'enrollments',
        fields: [
          { key: 'learner_id', column: 'learner_id', kind: 'text' },
          { key: 'course_code', column: 'course_code', kind: 'text' },
          { key: 'status', column: 'status', kind: 'text' },
          { key: 'progress', column: 'progress', kind: 'percent' },
        ],
      },
    ],
  },
  mrtest: {
    name: 'mrtest',
    schema: 'mrtest',
    resources: [
      {
        name: 'assessments',
        table: 'assessments',
        fields: [
          { key: 'title', column: 'title', kind: 'text' },
          { key: 'max_score', column: 'max_score', kind: 'decimal' },
        ],
      },
      {
        name: 'attempts',
        table: 'attempts',
        fields: [
          { key: 'assessment_id', column: 'assessment_id', kind: 'text' },
          { key: 'learner_email', column: 'learner_email', kind: 'email' },
          { key: 'score', column: 'score', kind: 'decimal' },
          { key: 'submitted_at', column: 'submitted_at', kind: 'timestamp' },
        ],
        userEmailColumn: 'learner_email',
      },
    ],
  },
};
