// Sends an identify and two track calls through Segment's own Node client to the host in JOURNEYS_HOST,
// authenticated with JOURNEYS_WRITE_KEY, then flushes and exits (non-zero on any error).
import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({
  writeKey: process.env.JOURNEYS_WRITE_KEY,
  host: process.env.JOURNEYS_HOST,
  flushAt: 20,
  flushInterval: 200,
  maxRetries: 2,
})
let failed = false
analytics.on('error', (error) => { failed = true; console.error('segment client error:', error) })

const userId = process.env.JOURNEYS_USER_ID
analytics.identify({ userId, traits: { plan: 'pro', seats: 3 } })
analytics.track({ userId, event: 'Order Completed', properties: { total: 42.5 } })
analytics.track({ userId, event: 'Email Opened' })
await analytics.closeAndFlush({ timeout: 20000 })
console.log(failed ? 'failed' : 'sent')
process.exit(failed ? 1 : 0)
