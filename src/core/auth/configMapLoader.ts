/**
 * Loading aws-auth as kubernetes-sigs/aws-iam-authenticator `pkg/mapper/configmap/configmap.go` does: ParseMap reads
 * each section through `utilyaml.ToJSON` and `encoding/json` into the structs of `pkg/config/types.go`, then
 * `Validate()` (mappingConfig.ts), then saveMap keys the store. Every behaviour is cited in docs/authenticator.md.
 */
import { foldCase } from './arn';
import { GoValue } from './goYaml';
import { readSection } from './sectionReading';
import { AwsAuthModel, DecodedItem, Field, SectionKey, SectionModel, storeKey, validate } from './mappingConfig';

const ROLE_FIELDS: Record<string, Field> = { rolearn: 'arn', sso: 'sso', username: 'username', groups: 'groups', userid: 'userid' };
const USER_FIELDS: Record<string, Field> = { userarn: 'arn', username: 'username', groups: 'groups', userid: 'userid' };
const GO_TYPE: Record<GoValue['t'] | 'json', string> = { str: 'string', int: 'number', float: 'number', bool: 'bool', null: 'null', seq: 'array', map: 'object', json: 'object' };

/** True for values ParseMap skips: blank after trimming, `""`, `''` (since v0.7.1) or two backticks. */
export function isSkippable(value: string): boolean {
  const t = value.trim();
  return t === '' || t === '""' || t === "''" || t === '``';
}

const emptySection = (section: SectionKey, state: SectionModel['state']): SectionModel => ({ section, state, items: [], accounts: [], accountErrors: [], logErrors: [] });

/** encoding/json's field lookup: an exact name first, then a case-insensitive one. */
function fieldFor(key: string, fields: Record<string, Field>): { name: string; field: Field } | undefined {
  if (key in fields) return { name: key, field: fields[key] };
  const folded = foldCase(key);
  const name = Object.keys(fields).find((f) => f === folded);
  return name ? { name, field: fields[name] } : undefined;
}

function goTypeName(section: 'mapRoles' | 'mapUsers'): string {
  return section === 'mapRoles' ? 'config.RoleMapping' : 'config.UserMapping';
}

/** Decodes one list element into RoleMapping / UserMapping the way `encoding/json` does. */
function decodeItem(section: 'mapRoles' | 'mapUsers', index: number, v: GoValue): DecodedItem {
  const item: DecodedItem = { section, index, range: v.range, arn: '', username: '', groups: [], fields: {}, groupRanges: [], unknownKeys: [], typeErrors: [] };
  const struct = section === 'mapRoles' ? 'RoleMapping' : 'UserMapping';
  if (v.t === 'null') return item;
  if (v.t !== 'map') {
    item.typeErrors.push({ field: '', got: GO_TYPE[v.t], range: v.range, message: `json: cannot unmarshal ${GO_TYPE[v.t]} into Go value of type ${goTypeName(section)}` });
    return item;
  }
  let groupsBacking: string[] = [];
  const typeError = (field: string, got: GoValue, type: string) =>
    item.typeErrors.push({ field, got: GO_TYPE[got.t], range: got.range, message: `json: cannot unmarshal ${GO_TYPE[got.t]} into Go struct field ${struct}.${field} of type ${type}` });
  for (const entry of v.entries) {
    const f = fieldFor(entry.key, section === 'mapRoles' ? ROLE_FIELDS : USER_FIELDS);
    if (!f) {
      item.unknownKeys.push({ key: entry.key, range: entry.keyRange });
      continue;
    }
    const value = entry.value;
    const source = { key: entry.key, keyRange: entry.keyRange, valueRange: value.range };
    if (value.t === 'null') {
      // JSON null leaves a string as it was and sets a slice or pointer to nil.
      if (f.field === 'groups') {
        item.groups = [];
        item.groupRanges = [];
        groupsBacking = [];
      }
      if (f.field === 'sso') item.sso = undefined;
      item.fields[f.field] = source;
      continue;
    }
    switch (f.field) {
      case 'arn':
      case 'username':
      case 'userid':
        if (value.t !== 'str') {
          typeError(f.name, value, 'string');
          break;
        }
        if (f.field === 'arn') item.arn = value.v;
        if (f.field === 'username') item.username = value.v;
        item.fields[f.field] = source;
        break;
      case 'groups':
        if (value.t !== 'seq') {
          typeError(f.name, value, '[]string');
          break;
        }
        // encoding/json decodes an array into the slice's existing backing array (decode.go `array`: the length is
        // reset, elements are decoded in place, it grows only past the capacity). An element of another type is
        // left as it was: "" in a new slice, but the earlier value when another key in a different case (`Groups`,
        // sorted before `groups`) already filled that place.
        item.groups = value.items.map((g, i) => {
          if (g.t === 'str') groupsBacking[i] = g.v;
          else {
            if (g.t !== 'null') typeError(`${f.name}`, g, 'string');
            groupsBacking[i] ??= '';
          }
          return groupsBacking[i];
        });
        item.groupRanges = value.items.map((g) => g.range);
        item.fields.groups = source;
        break;
      case 'sso': {
        if (value.t !== 'map') {
          typeError(f.name, value, 'config.SSOARNMatcher');
          break;
        }
        const sso = item.sso ?? { permissionSetName: '', accountID: '', partition: '' };
        for (const e of value.entries) {
          const name = (['permissionSetName', 'accountID', 'partition'] as const).find((k) => k === e.key) ?? (['permissionSetName', 'accountID', 'partition'] as const).find((k) => foldCase(k) === foldCase(e.key));
          if (!name) continue;
          if (e.value.t === 'str') sso[name] = e.value.v;
          else if (e.value.t !== 'null') typeError(`sso.${name}`, e.value, 'string');
        }
        item.sso = sso;
        item.fields.sso = source;
        break;
      }
    }
  }
  return item;
}

/**
 * Loads one section's text as ParseMap does. Whether it converts, and to what, is what go-yaml v2, sigs.k8s.io/yaml
 * and encoding/json say (sectionReading.ts `readSection`); decoding the items and Validate() follow here.
 */
export function loadSection(section: SectionKey, text: string | undefined): SectionModel {
  if (text === undefined) return emptySection(section, 'absent');
  const reading = readSection(section, text);
  if (reading.kind === 'skipped') return emptySection(section, 'skipped');
  const model = emptySection(section, 'loaded');
  if (reading.kind === 'failed') {
    model.state = 'failed';
    model.error = { message: reading.message, position: reading.position };
    model.logErrors.push(reading.log);
    return model;
  }
  if (reading.kind === 'accounts') {
    model.accounts = reading.values;
    model.accountErrors = reading.typeErrors;
    if (reading.log) model.logErrors.push(reading.log);
    if (!reading.values.length && reading.typeErrors.length) model.state = 'failed';
    return model;
  }
  if (section === 'mapAccounts') throw new Error('mapAccounts read as mapRoles');
  if (reading.kind === 'json') {
    // Text starting with "{" is passed to encoding/json as it is: an object, or invalid JSON, never a list.
    model.state = 'failed';
    if (reading.invalid) model.error = { message: reading.log, position: reading.position };
    else model.notAList = { got: 'object', range: [reading.position, text.length] };
    model.logErrors.push(reading.log);
    return model;
  }
  const json = reading.value;
  if (json.t === 'null') return model;
  if (json.t !== 'seq') {
    model.state = 'failed';
    model.notAList = { got: GO_TYPE[json.t], range: json.range };
    model.logErrors.push(reading.unmarshalError ?? `json: cannot unmarshal ${GO_TYPE[json.t]} into Go value of type []${goTypeName(section)}`);
    return model;
  }
  model.items = json.items.map((v, i) => decodeItem(section, i, v));
  const firstTypeError = reading.unmarshalError ?? model.items.flatMap((i) => i.typeErrors)[0]?.message;
  if (firstTypeError) model.logErrors.push(firstTypeError);
  for (const item of model.items) {
    const invalid = validate(item);
    if (!invalid) continue;
    item.dropped = invalid.message;
    item.droppedKind = invalid.kind;
    model.logErrors.push(invalid.message);
  }
  return model;
}

/** Loads aws-auth `data` as the authenticator's ParseMap and saveMap do. Only the exact keys are read. */
export function loadAwsAuth(data: Record<string, string | undefined>): AwsAuthModel {
  const get = (k: SectionKey) => (Object.prototype.hasOwnProperty.call(data, k) ? data[k] : undefined);
  const sections = { mapRoles: loadSection('mapRoles', get('mapRoles')), mapUsers: loadSection('mapUsers', get('mapUsers')), mapAccounts: loadSection('mapAccounts', get('mapAccounts')) };
  return storeOf(sections);
}

/** saveMap: roles keyed by lowercased ARN, users by the exact ARN; a later entry replaces an earlier one. */
export function storeOf(sections: Record<SectionKey, SectionModel>): AwsAuthModel {
  const keyed = (items: DecodedItem[]) => {
    const store = new Map<string, DecodedItem>();
    for (const item of items) {
      if (item.dropped) continue;
      const key = storeKey(item);
      const earlier = store.get(key);
      if (earlier) earlier.replacedBy = item;
      // Map.set keeps the first position; delete first so the effective list is in the order entries won.
      store.delete(key);
      store.set(key, item);
    }
    return [...store.values()];
  };
  const errors = [...sections.mapUsers.logErrors, ...sections.mapRoles.logErrors, ...sections.mapAccounts.logErrors];
  return {
    sections,
    roles: keyed(sections.mapRoles.items),
    users: keyed(sections.mapUsers.items),
    accounts: new Set(sections.mapAccounts.accounts.map((a) => a.value)),
    ...(errors.length ? { logLine: `Errors parsing configmap: [${errors.join(' ')}]` } : {}),
  };
}
