// Parse an iCalendar file with ical.js (an independent parser) and print
// every event as JSON: its times in the event's own zone and in UTC.
// Usage: node parse_ical.mjs FILE
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  const start = event.startDate;
  const end = event.endDate;
  return {
    uid: event.uid,
    summary: event.summary,
    location: event.location,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    dtstamp: component.getFirstPropertyValue("dtstamp")?.toString() ?? null,
    tzid: start.zone ? start.zone.tzid : null,
    tzid_param: component.getFirstProperty("dtstart").getParameter("tzid") ?? null,
    start_local: start.toString(),
    end_local: end.toString(),
    start_utc: start.toJSDate().toISOString(),
    end_utc: end.toJSDate().toISOString(),
  };
});
const timezones = calendar.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"));
process.stdout.write(JSON.stringify({ events, timezones }));
