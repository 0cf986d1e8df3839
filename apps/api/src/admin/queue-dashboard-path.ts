import { API_PREFIX } from '../configure-app.js';

/** Where the queue dashboard is served; its session cookie is limited to this path. */
export const QUEUE_DASHBOARD_PATH = `/${API_PREFIX}/admin/queues`;
