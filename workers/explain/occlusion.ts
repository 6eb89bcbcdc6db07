/** Leave one word out (src/core/explain/occlusion.ts): n + 1 model runs, nothing sampled. */
import { occlusionRows, occlusionWeights } from '../../src/core/explain/occlusion';
import { chooseLabels, topFeatures, type MethodContext, type MethodOutcome } from './method';

export async function explainWithOcclusion({ indexed, settings, evaluator, meter }: MethodContext): Promise<MethodOutcome> {
  const features = indexed.features.length;
  const rows = occlusionRows(features);
  const outputs = await evaluator.evaluate(rows, (done) => meter.add(done));
  const labels = chooseLabels(settings, outputs[0]).map((labelIndex) => {
    const all = occlusionWeights(
      outputs.map((row) => row[labelIndex]),
      features,
    );
    return { labelIndex, all, reported: topFeatures(all, settings.numFeatures) };
  });
  return { labels, original: outputs[0], samples: rows.rows };
}
