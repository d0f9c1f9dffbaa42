import * as assert from 'assert';
import { makeDispatcher, type HandlerMap } from '../../../src/shared/dispatch';

type Message = { type: 'results'; runId: number; rows: string[] } | { type: 'summary'; runId: number } | { type: 'tail'; running: boolean };

function recorder() {
  const seen: string[] = [];
  const handlers: HandlerMap<Message> = {
    results: (m) => seen.push(`results ${m.runId} ${m.rows.join(',')}`),
    summary: (m) => seen.push(`summary ${m.runId}`),
    tail: (m) => seen.push(`tail ${m.running}`),
  };
  return { seen, dispatch: makeDispatcher(handlers) };
}

describe('message handler map', () => {
  it('hands each message to the handler of its type', () => {
    const { seen, dispatch } = recorder();
    dispatch({ type: 'results', runId: 1, rows: ['a'] });
    dispatch({ type: 'tail', running: true });
    dispatch({ type: 'summary', runId: 1 });
    assert.deepStrictEqual(seen, ['results 1 a', 'tail true', 'summary 1']);
  });

  it('drops what a replaced run still sends, whatever its type', () => {
    const { seen, dispatch } = recorder();
    dispatch({ type: 'results', runId: 1, rows: ['old'] });
    dispatch({ type: 'results', runId: 2, rows: ['new'] });
    dispatch({ type: 'summary', runId: 1 });
    dispatch({ type: 'results', runId: 1, rows: ['late'] });
    dispatch({ type: 'tail', running: false });
    assert.deepStrictEqual(seen, ['results 1 old', 'results 2 new', 'tail false']);
  });

  it('ignores messages of no known type, prototype names included, and values that are not messages', () => {
    const { seen, dispatch } = recorder();
    for (const m of [undefined, null, 'results', 42, {}, { type: 'toString' }, { type: '__proto__' }, { type: 'constructor' }, { type: 7 }]) assert.strictEqual(dispatch(m), undefined);
    assert.deepStrictEqual(seen, []);
  });

  it('returns what the handler returns, so the host can wait for it and catch its errors', async () => {
    const dispatch = makeDispatcher<{ type: 'a' }>({ a: async () => Promise.reject(new Error('boom')) });
    await assert.rejects(dispatch({ type: 'a' }) as Promise<unknown>, /boom/);
  });
});
