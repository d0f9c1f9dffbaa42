/** Writes what the rule registry generates: docs/rules.md and the `eksAuth.lint.rules` schema in package.json. */
import * as fs from 'fs';
import * as path from 'path';
import { lintRulesSettingSchema, RULES_DOC_PATH, rulesMarkdown } from '../src/core/auth/rules/reference';

const root = path.resolve(__dirname, '..', '..');
fs.writeFileSync(path.join(root, RULES_DOC_PATH), rulesMarkdown());
const pkgPath = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
pkg.contributes.configuration.properties['eksAuth.lint.rules'] = lintRulesSettingSchema();
fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log(`wrote ${RULES_DOC_PATH} and the eksAuth.lint.rules schema in package.json`);
