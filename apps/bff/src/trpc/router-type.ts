/** The only thing the web app takes from the server: the router's type (`import type`). */
export type { AppRouter } from '../routers/index.js';
