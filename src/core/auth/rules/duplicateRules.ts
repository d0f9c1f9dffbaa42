/** A16: entries the authenticator's store replaces, keeps at random, or never reaches. */
import { foldCase } from '../arn';
import { DecodedItem, loadSection, mappingMatches, storeOf } from '../authenticator';
import type { LoadedSection } from './context';
import type { Fix } from './types';
import { rule, type Rule } from './rule';

/** Removes a whole block-list item, so what is granted today does not change. */
function removeItemFix(loaded: LoadedSection, item: DecodedItem): Fix | undefined {
  const e = loaded.embedded;
  if (e.style !== 'block' || !e.offsets || e.text.trimStart().startsWith('[')) return undefined;
  const text = e.text;
  const start = text.lastIndexOf('\n', item.range[0] - 1) + 1;
  if (!/^ *- /.test(text.slice(start, item.range[0] + 1)) && !/^ *-$/.test(text.slice(start, item.range[0]).trimEnd())) return undefined;
  const next = loaded.model.items[item.index + 1];
  let s: number;
  let en: number;
  if (next) {
    s = start;
    en = text.lastIndexOf('\n', next.range[0] - 1) + 1;
  } else {
    // The last item: remove from the newline that ends the previous item, so no blank line is left behind.
    s = Math.max(0, start - 1);
    // trimEnd removes exactly what `\s` matches (ECMA-262: WhiteSpace and LineTerminator), in one pass; the regex
    // `/\s+$/` retried every start of a long run of spaces inside the text and took quadratic time.
    en = text.trimEnd().length;
  }
  if (en <= s) return undefined;
  const hs = e.offsets[s];
  const he = e.offsets[en];
  return { title: 'Remove this duplicate entry', edits: [{ offset: hs, length: he - hs, newText: '' }] };
}

export const DUPLICATE_RULES: Rule[] = [
  rule({ id: 'A16', severity: 'warning', title: 'A duplicate mapping' }, {
    document({ report }, loaded) {
      const roles = loaded.get('mapRoles');
      const users = loaded.get('mapUsers');
      // storeOf marks the entries a later one replaced (replacedBy), as the authenticator's saveMap does.
      const store = storeOf({ mapRoles: roles?.model ?? loadSection('mapRoles', undefined), mapUsers: users?.model ?? loadSection('mapUsers', undefined), mapAccounts: loadSection('mapAccounts', undefined) });
      for (const [section, what] of [[roles, 'rolearn'], [users, 'userarn']] as const) {
        for (const item of section?.model.items ?? []) {
          if (!item.replacedBy || !item.fields.arn) continue;
          const later = item.replacedBy;
          const exact = later.arn === item.arn;
          const message = `Duplicate ${what} ${item.arn}${exact ? '' : ` (the later one differs only in case: ${later.arn})`}: the authenticator keeps only the later entry ${later.index + 1}${what === 'rolearn' ? ' and does not merge groups (a later entry without system:masters has locked admins out)' : ''}, so this one is never used. Remove it, or merge what it grants into the later entry.`;
          report.inEmbedded(section!.embedded, item.fields.arn.valueRange, message, { fixes: [removeItemFix(section!, item)] });
        }
      }
      if (!users) return;
      // Case variants of one userarn, grouped once: a linear pass, not a comparison of every pair.
      const byFolded = new Map<string, DecodedItem[]>();
      for (const user of store.users) {
        const key = foldCase(user.arn);
        const group = byFolded.get(key);
        if (group) group.push(user);
        else byFolded.set(key, [user]);
      }
      const roleKeys = new Set(store.roles.map((r) => foldCase(r.arn)));
      for (const user of store.users) {
        const variants = (byFolded.get(foldCase(user.arn)) ?? []).filter((u) => u !== user && mappingMatches(u, user.arn));
        if (variants.length && [user, ...variants].sort((a, b) => a.index - b.index)[0] === user) {
          for (const v of [user, ...variants].sort((a, b) => a.index - b.index).slice(1)) {
            report.inEmbedded(users.embedded, v.fields.arn!.valueRange, `Duplicate userarn ${v.arn} differing only in case from ${user.arn}: the authenticator stores both and which one matches is random. Remove one of the entries.`, { fixes: [removeItemFix(users, v)] });
          }
        }
        if (roleKeys.has(foldCase(user.arn)) && store.roles.some((r) => mappingMatches(r, user.arn))) {
          report.inEmbedded(users.embedded, user.fields.arn!.valueRange, `${user.arn} is mapped in both mapRoles and mapUsers: the role mapping is looked up first, so this user mapping is never used. Remove one.`);
        }
      }
    },
  }),
];
