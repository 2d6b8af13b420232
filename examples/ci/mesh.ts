/**
 * The mesh the CI workflow in this folder synthesizes: the idp example. In your repository
 * this is your own mesh program; the workflow only needs its path.
 */
export { default } from '../idp/mesh.js';
