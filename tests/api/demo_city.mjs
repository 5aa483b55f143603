// ctest fixture: builds the demo city once per test run (tests/CMakeLists.txt), before the
// tests that copy it start. Every test then gets its own copy from lib.mjs demoDb().
import { demoDb } from './lib.mjs';

const path = await demoDb();
console.log(`demo city ready: ${path}`);
