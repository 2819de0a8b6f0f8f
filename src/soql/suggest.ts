/** "Did you mean" for misspelt names: shared with the CLI and the client, so it lives in util/. */
export { closestName, editDistance } from '../util/suggest.js';
