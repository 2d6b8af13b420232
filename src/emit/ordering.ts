/**
 * Ordering hints inside one folder. Argo CD applies lower sync waves first and waits for them
 * to be healthy; objects whose API arrives from elsewhere (kro's CRD, a kube-bind binding)
 * must skip the dry run, or Argo refuses the whole sync before the API exists.
 */
export const syncWaveAnnotation = 'argocd.argoproj.io/sync-wave';
export const syncOptionsAnnotation = 'argocd.argoproj.io/sync-options';
export const skipDryRun = 'SkipDryRunOnMissingResource=true';

/** Waves used in a folder: APIs first, then what binds them, then what uses bound APIs. */
export const wave = { apis: 0, bindings: 1, consumers: 2 } as const;

export function orderingAnnotations(w: number, apiFromElsewhere: boolean): Record<string, string> {
  return {
    ...(w !== 0 ? { [syncWaveAnnotation]: String(w) } : {}),
    ...(apiFromElsewhere ? { [syncOptionsAnnotation]: skipDryRun } : {}),
  };
}
