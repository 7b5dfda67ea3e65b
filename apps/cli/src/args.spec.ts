import { parseArgs, UsageError, wholeNumber } from './args';

const SPECS = { json: {}, out: { value: true }, tenant: { value: true, repeat: true }, 'batch-size': { value: true } };

describe('parseArgs', () => {
  it('reads the command, switches and options in either spelling', () => {
    const args = parseArgs(['replay', '--json', '--out', 'a.ndjson', '--tenant=acme', '--tenant', 'beta'], SPECS);
    expect(args.command).toBe('replay');
    expect([...args.flags]).toEqual(['json']);
    expect(args.options.get('out')).toEqual(['a.ndjson']);
    expect(args.options.get('tenant')).toEqual(['acme', 'beta']);
  });

  it.each([
    [['replay', '--nope'], /unknown option --nope/],
    [['replay', '--out'], /--out needs a value/],
    [['replay', '--out', '--json'], /--out needs a value/],
    [['replay', '--json=yes'], /--json takes no value/],
    [['replay', '--out', 'a', '--out', 'b'], /more than once/],
    [['replay', 'extra'], /unexpected argument "extra"/],
  ])('refuses %p', (argv, message) => {
    expect(() => parseArgs(argv as string[], SPECS)).toThrow(UsageError);
    expect(() => parseArgs(argv as string[], SPECS)).toThrow(message as RegExp);
  });

  it('checks whole numbers and their range', () => {
    expect(wholeNumber(parseArgs(['rebuild', '--batch-size', '500'], SPECS), 'batch-size', 1, 1000)).toBe(500);
    expect(wholeNumber(parseArgs(['rebuild'], SPECS), 'batch-size', 1, 1000)).toBeUndefined();
    for (const bad of ['0', '1001', 'ten', '-5', '2.5']) {
      expect(() => wholeNumber(parseArgs(['rebuild', `--batch-size=${bad}`], SPECS), 'batch-size', 1, 1000)).toThrow(UsageError);
    }
  });
});
