// dist/server.js: the bundle VS Code starts as the language server.
import { startServer } from './main';

startServer();
