import { Panel } from '../../components/States';
import { EmptyState } from '../../components/States';

// The run form needs the engine's evaluation.run job and a list of trained predictors; until the
// contract offers them, the screen shows stored evaluations only (run `routeplan evaluate`).
export function EvaluationForm() {
  return (
    <Panel title="New evaluation" id="evaluation-form">
      <EmptyState title="Evaluations run from the command line in this build">
        <code>routeplan evaluate --workspace W --predictor P --test D</code> stores an evaluation that appears below.
      </EmptyState>
    </Panel>
  );
}
