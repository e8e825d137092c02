import type { FareBreakdown as Fare } from '@/domain/pricing';
import { distance, duration, formatMoney } from './format';
import './ui.css';

/** A fare line by line, as quoted and as charged: the same table for the quote and the receipt. */
export function FareBreakdown({ fare, currency, testId }: { fare: Fare; currency: string; testId: string }) {
  const money = (amount: number) => formatMoney(amount, currency);
  return (
    <table className="data fare-table" data-testid={testId}>
      <tbody>
        <tr>
          <td>Base fare</td>
          <td data-testid="fare-base">{money(fare.base)}</td>
        </tr>
        <tr>
          <td>Distance · {distance(fare.distanceM)}</td>
          <td data-testid="fare-distance">{money(fare.distance)}</td>
        </tr>
        <tr>
          <td>Time · {duration(fare.durationS)}</td>
          <td data-testid="fare-time">{money(fare.time)}</td>
        </tr>
        {fare.surgeMultiplier > 1 || fare.surge > 0 ? (
          <tr className="fare-surge">
            <td>
              Surge ×{fare.surgeMultiplier.toFixed(1)}
              {fare.surgeReason ? <small> · {fare.surgeReason}</small> : null}
            </td>
            <td data-testid="fare-surge">{money(fare.surge)}</td>
          </tr>
        ) : (
          <tr>
            <td>Surge</td>
            <td data-testid="fare-surge">none</td>
          </tr>
        )}
        {fare.minimumAdjustment > 0 ? (
          <tr>
            <td>Raised to the minimum fare</td>
            <td>{money(fare.minimumAdjustment)}</td>
          </tr>
        ) : null}
        <tr>
          <td>Booking fee</td>
          <td data-testid="fare-fee">{money(fare.bookingFee)}</td>
        </tr>
        <tr className="fare-total">
          <th>Total</th>
          <th data-testid="fare-total">{money(fare.total)}</th>
        </tr>
      </tbody>
    </table>
  );
}
