import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster/cluster-profile';

/**
 * A bundle that names no cluster profile took the app's only one (or none) when it was created; a
 * profile created later would be silently ignored, so synthesis fails instead.
 */
export function lateProfileCheck(scope: Construct, used: ClusterProfile | undefined): void {
  scope.node.addValidation({
    validate: () => {
      const problem = ClusterProfile._lateProfileProblem(scope, used);
      return problem === undefined ? [] : [`${problem}. Fix: create the ClusterProfile before the bundles, or pass cluster to the bundle`];
    },
  });
}
