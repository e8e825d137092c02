import { defaultSurgePolicy } from '@/domain/surge';
import type { Database } from '../../infra/postgres';
import { defaultServiceArea, loadSettings } from '../platform/settings';
import { maxServiceAreaCells } from './set-service-area';
import { surgeLimits } from './update-surge-policy';

/** What the pricing and service-area pages edit, with the defaults and the limits they enforce. */
export async function getAdminSettings(db: Database) {
  const settings = await loadSettings(db);
  return {
    surge: settings.surge,
    serviceAreaCells: settings.serviceAreaCells,
    defaults: { surge: defaultSurgePolicy, serviceAreaCellCount: defaultServiceArea().length },
    limits: { surge: surgeLimits, maxServiceAreaCells },
  };
}
