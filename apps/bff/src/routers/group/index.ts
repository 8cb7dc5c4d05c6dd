import { t } from '../../trpc/init.js';
import { changeOwner } from './change-owner.js';
import { list } from './list.js';
import { move } from './move.js';
import { notes, setNotes } from './notes.js';
import { remove } from './remove.js';

export const groupRouter = t.router({ list, remove, changeOwner, move, notes, setNotes });
