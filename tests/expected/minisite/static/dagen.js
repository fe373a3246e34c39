/* A static page shows the state on the day it was published. This corrects it with the
   day in Sweden, where the notices are posted, wherever the page is read: the notice
   board hides notices taken down since and shows those posted since, and a last day to
   appeal that has passed says so. */
(function () {
  "use strict";
  var now = new Date();

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function todayInSweden() {
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", {timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit",
                                        day: "2-digit"}).formatToParts(now).forEach(function (part) {
        parts[part.type] = part.value;
      });
      return parts.year + "-" + parts.month + "-" + parts.day;
    } catch (error) { /* a browser without time zones: the reader's own day */
      return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    }
  }

  function longDate(isoDay) {
    try {
      return new Intl.DateTimeFormat("sv-SE", {timeZone: "Europe/Stockholm", weekday: "long", day: "numeric",
                                               month: "long", year: "numeric"}).format(now);
    } catch (error) {
      return isoDay;
    }
  }

  function updateNoticeBoard(today) {
    var board = document.querySelector(".notice-board");
    if (!board) { return; }
    var shown = 0;
    board.querySelectorAll(".notice").forEach(function (notice) {
      var up = notice.dataset.uppsattande <= today && today <= notice.dataset.nedtagande;
      notice.hidden = !up;
      if (up) { shown += 1; }
    });
    board.querySelector(".notice-empty").hidden = shown > 0;
    var takenDown = 0;
    document.querySelectorAll(".notices-taken-down li").forEach(function (item) {
      item.hidden = !(item.dataset.nedtagande < today);
      if (!item.hidden) { takenDown += 1; }
    });
    document.querySelector(".notices-taken-down").hidden = takenDown === 0;
    var day = document.querySelector(".notice-day");
    var time = document.createElement("time");
    time.dateTime = today;
    time.textContent = longDate(today);
    day.textContent = "Anslagen visas som de är i dag, ";
    day.appendChild(time);
    day.appendChild(document.createTextNode("."));
  }

  function markPassedAppealDays(today) {
    document.querySelectorAll("time[data-sista-dag]").forEach(function (time) {
      if (time.getAttribute("datetime") < today) {
        var passed = document.createElement("span");
        passed.className = "appeal-passed";
        passed.textContent = " (tiden har gått ut)";
        time.after(passed);
      }
    });
  }

  var today = todayInSweden();
  updateNoticeBoard(today);
  markPassedAppealDays(today);
})();
