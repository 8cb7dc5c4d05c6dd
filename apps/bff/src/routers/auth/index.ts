import { t } from '../../trpc/init.js';
import { changePassword } from './change-password.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { realms } from './realms.js';
import { renew } from './renew.js';
import { whoami } from './whoami.js';

export const authRouter = t.router({ login, logout, renew, whoami, realms, changePassword });
