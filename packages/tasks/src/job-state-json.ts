/**
 * The JSON of PBS's job state files, as serde writes src/server/jobstate.rs's enums
 * (externally tagged; the task state is proxmox-rest-server's TaskState):
 *
 *   {"created":{"time":1700000000}}
 *   {"started":{"upid":"UPID:…"}}
 *   {"finished":{"upid":"UPID:…","state":{"OK":{"endtime":1700000100}},"updated":null}}
 *   "unknown"
 *
 * with task states {"OK":{endtime}}, {"Warning":{count,endtime}}, {"Error":{message,endtime}},
 * {"Unknown":{endtime}}.
 */

export type JobTaskState =
  | { state: 'ok'; endtime: number }
  | { state: 'warning'; count: number; endtime: number }
  | { state: 'error'; message: string; endtime: number }
  | { state: 'unknown'; endtime: number };

export type JobState =
  | { kind: 'created'; time: number }
  | { kind: 'started'; upid: string }
  | { kind: 'finished'; upid: string; state: JobTaskState; updated?: number }
  | { kind: 'unknown' };

function taskStateJson(s: JobTaskState): unknown {
  switch (s.state) {
    case 'ok':
      return { OK: { endtime: s.endtime } };
    case 'warning':
      return { Warning: { count: s.count, endtime: s.endtime } };
    case 'error':
      return { Error: { message: s.message, endtime: s.endtime } };
    case 'unknown':
      return { Unknown: { endtime: s.endtime } };
  }
}

export function jobStateToJson(state: JobState): string {
  switch (state.kind) {
    case 'created':
      return JSON.stringify({ created: { time: state.time } });
    case 'started':
      return JSON.stringify({ started: { upid: state.upid } });
    case 'finished': {
      const body = { upid: state.upid, state: taskStateJson(state.state), updated: state.updated ?? null };
      return JSON.stringify({ finished: body });
    }
    case 'unknown':
      return JSON.stringify('unknown');
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The single key of an externally tagged enum value and its body. */
function variant(v: unknown): [string, Obj] | null {
  if (!isObj(v)) return null;
  const keys = Object.keys(v);
  const body = keys.length === 1 && keys[0] !== undefined ? v[keys[0]] : undefined;
  return keys[0] !== undefined && isObj(body) ? [keys[0], body] : null;
}

function parseTaskState(v: unknown): JobTaskState | null {
  const tagged = variant(v);
  if (!tagged || !isInt(tagged[1].endtime)) return null;
  const [tag, { endtime, count, message }] = tagged;
  if (tag === 'OK') return { state: 'ok', endtime };
  if (tag === 'Unknown') return { state: 'unknown', endtime };
  if (tag === 'Warning' && isInt(count)) return { state: 'warning', count, endtime };
  if (tag === 'Error' && typeof message === 'string') return { state: 'error', message, endtime };
  return null;
}

/** Anything that is not a valid state file reads as 'unknown', as PBS does. */
export function jobStateFromJson(text: string): JobState {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { kind: 'unknown' };
  }
  const tagged = variant(v);
  if (!tagged) return { kind: 'unknown' };
  const [tag, body] = tagged;
  if (tag === 'created' && isInt(body.time)) return { kind: 'created', time: body.time };
  if (typeof body.upid !== 'string') return { kind: 'unknown' };
  if (tag === 'started') return { kind: 'started', upid: body.upid };
  const state = tag === 'finished' ? parseTaskState(body.state) : null;
  if (!state) return { kind: 'unknown' };
  const finished: JobState = { kind: 'finished', upid: body.upid, state };
  if (isInt(body.updated)) finished.updated = body.updated;
  return finished;
}
