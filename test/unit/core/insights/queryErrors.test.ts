import * as assert from 'assert';
import { queryErrorMessage } from '../../../../src/core/insights/queryErrors';

/** An SDK service exception as @aws-sdk/client-cloudwatch-logs throws it: the error code is its name. */
const serviceError = (name: string, message: string) => Object.assign(new Error(message), { name });
const target = { cluster: 'prod-payments', region: 'us-east-1' };

describe('query error messages', () => {
  it('decides by the error code, whatever the service says', () => {
    for (const wording of ['The specified log group does not exist.', 'reworded by the service']) {
      const message = queryErrorMessage(serviceError('ResourceNotFoundException', wording), target);
      assert.match(message, /^No log group \/aws\/eks\/prod-payments\/cluster in us-east-1: /);
    }
    assert.match(queryErrorMessage(serviceError('LimitExceededException', 'x'), target), /Too many Logs Insights queries/);
    assert.match(queryErrorMessage(serviceError('MalformedQueryException', 'unexpected symbol at 1:9'), target), /not valid Logs Insights syntax: unexpected symbol at 1:9\./);
  });

  it('leaves other errors to the general AWS explanation', () => {
    assert.match(queryErrorMessage(serviceError('AccessDeniedException', 'User: x is not authorized to perform: logs:StartQuery on resource: y'), { ...target, profile: 'dev' }), /logs:StartQuery/);
  });
});
