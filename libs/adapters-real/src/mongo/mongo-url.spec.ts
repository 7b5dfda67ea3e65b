import { InvalidMongoUrlError, assertMongoUrl, maskCredentials } from './mongo-url';

describe('assertMongoUrl', () => {
  it.each([
    'mongodb://localhost',
    'mongodb://127.0.0.1:27017',
    'mongodb://localhost:27017/cds',
    'mongodb://user:p%40ss@db1.example.com:27017,db2.example.com:27018/cds?replicaSet=rs0&authSource=admin',
    'mongodb://[::1]:27017/?directConnection=true',
    'mongodb://%2Ftmp%2Fmongodb-27017.sock',
    'mongodb+srv://user:secret@cluster0.example.net/cds?retryWrites=true',
  ])('accepts %s', (url) => {
    expect(assertMongoUrl(url)).toBe(url);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['localhost:27017', /must start with mongodb:\/\//],
    ['http://localhost:27017', /must start with mongodb:\/\//],
    ['mongodb://', /no host/],
    ['mongodb:///cds', /no host/],
    ['mongodb://localhost:notaport', /not a valid port/],
    ['mongodb://localhost:70000', /not a valid port/],
    ['mongodb://localhost:0', /not a valid port/],
    ['mongodb://a,,b', /empty entry/],
    ['mongodb://user:p@ss@localhost', /percent-encode/],
    ['mongodb://:secret@localhost', /user name is empty/],
    ['mongodb+srv://a.example.net,b.example.net', /exactly one host/],
    ['mongodb+srv://cluster.example.net:27017', /takes no port/],
    ['mongodb://local host', /whitespace/],
    ['mongodb://localhost/bad.db', /not a valid database name/],
    ['mongodb://localhost/?novalue', /name=value/],
  ])('rejects %j', (url, reason) => {
    expect(() => assertMongoUrl(url)).toThrow(InvalidMongoUrlError);
    expect(() => assertMongoUrl(url)).toThrow(reason);
  });

  it('rejects values that are not strings', () => {
    expect(() => assertMongoUrl(undefined)).toThrow(InvalidMongoUrlError);
  });

  it('never repeats the credentials in the message', () => {
    expect(() => assertMongoUrl('mongodb://admin:hunter2@localhost:99999')).toThrow(/\*\*\*@localhost/);
    expect(() => assertMongoUrl('mongodb://admin:hunter2@localhost:99999')).not.toThrow(/hunter2/);
    expect(maskCredentials('mongodb://u:p@h/db')).toBe('mongodb://***@h/db');
  });
});
