import { t } from '../../trpc/init.js';
import { list } from './list.js';
import { notes, setNotes } from './notes.js';
import { setProtected } from './protect.js';
import { remove } from './remove.js';

export const snapshotRouter = t.router({ list, remove, setProtected, notes, setNotes });
