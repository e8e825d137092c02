import type { DispatchPolicy } from '@/domain/dispatch-policy';
import type { TravelEstimator } from '@/domain/eta';
import type { DispatchQueue } from '../../adapters/dispatch-queue';
import type { SurgeStore } from '../../adapters/surge-store';
import type { CoreDeps } from '../ports';

/** What booking use cases need beyond the core: the dispatch queue, surge, the quote key. */
export interface BookingDeps extends CoreDeps {
  dispatch: DispatchQueue;
  surge: SurgeStore;
  quoteSecret: string;
  estimator?: TravelEstimator;
  dispatchPolicy?: Partial<DispatchPolicy>;
}
