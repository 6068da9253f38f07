import { EmptyState } from '../../components/States';

// Replaced as the engine contract for this screen lands.
export function PoliciesScreen() {
  return <EmptyState title="Not available in this build">The engine does not offer this screen's methods yet.</EmptyState>;
}
