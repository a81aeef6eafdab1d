/** Kit's unique clicks come from a rate whose scale is calibrated on the open pair, never guessed. */
import { kitUniqueClicks } from '../../../functions/sources/kit';

describe('kitUniqueClicks', () => {
  it('reads percentages when open_rate is 100 × opened / recipients', () => {
    expect(kitUniqueClicks({ recipients: 1000, emails_opened: 610, open_rate: 61, click_rate: 8.5, total_clicks: 130 })).toBe(85);
  });

  it('reads fractions when open_rate is opened / recipients', () => {
    expect(kitUniqueClicks({ recipients: 1000, emails_opened: 610, open_rate: 0.61, click_rate: 0.085, total_clicks: 130 })).toBe(85);
  });

  it('takes a rate above 1 as a percentage when there are no opens to calibrate on', () => {
    expect(kitUniqueClicks({ recipients: 200, emails_opened: 0, open_rate: 0, click_rate: 2.5, total_clicks: 9 })).toBe(5);
  });

  it('refuses to guess an uncalibrated rate at or below 1', () => {
    expect(kitUniqueClicks({ recipients: 200, emails_opened: 0, open_rate: 0, click_rate: 0.5, total_clicks: 9 })).toBeUndefined();
  });

  it('never exceeds total clicks or recipients', () => {
    expect(kitUniqueClicks({ recipients: 100, emails_opened: 50, open_rate: 50, click_rate: 40, total_clicks: 12 })).toBe(12);
  });
});
