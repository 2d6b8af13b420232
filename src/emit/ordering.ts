/**
 * Argo CD's ordering annotations. Inside a folder p2c needs no sync waves: an object whose kind is created
 * at runtime goes to a later stage folder instead (resolve/stages.ts). An object whose API is installed by
 * someone else (kro's CRD) skips the dry run, or Argo refuses the whole sync before the API exists.
 */
export const syncWaveAnnotation = 'argocd.argoproj.io/sync-wave';
export const syncOptionsAnnotation = 'argocd.argoproj.io/sync-options';
export const skipDryRun = 'SkipDryRunOnMissingResource=true';
