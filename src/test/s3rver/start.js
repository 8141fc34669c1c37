// Starts s3rver on a free loopback port for Eider's interop tests and prints {"port": n}.
// s3rver accepts aws-chunked uploads without decoding them (it stores the chunk signatures
// inside the object), so a client that sends exactly the bytes is what keeps objects intact.
// Usage: node start.js <data folder>; credentials from S3RVER_ACCESS_KEY / S3RVER_SECRET_KEY.
'use strict';
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

DUMMY_ACCOUNT.createKeyPair(process.env.S3RVER_ACCESS_KEY, process.env.S3RVER_SECRET_KEY);
new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true, vhostBuckets: false })
  .run()
  .then(address => console.log(JSON.stringify({ port: address.port })))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
// The test JVM holds our stdin: when it ends (even by kill -9), so does this server.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
