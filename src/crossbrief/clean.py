"""Cleaning: remove web boilerplate, keep every sentence of the article body.

The text is normalised (unicode NFC, odd spaces and invisible characters, line endings), split
into lines (one paragraph each), and every line is checked against the rules below. A line
that is boilerplate is removed *and kept* on ``Article.removed`` with its reason, so nothing
disappears silently. The clean text is the kept lines joined by blank lines.

What is removed, and the reason recorded (``REASONS``):

- breadcrumbs ("Russia /", "News › World", "HomeWorldXi Jinping meets…" glued to the title);
- the title line (moved to ``Article.title``) and its repeats;
- "Related stories" / "Latest stories" blocks with their teaser headlines and captions;
- comment forms ("Please enter your comment!"), share / subscribe / newsletter / cookie lines,
  notices of the reader's account ("We have sent you a verification email.");
- calls to action on a line of their own ("Click here to watch …", "Download the … app",
  "Follow @…", "Already a subscriber?") and the rest of a sign-up widget beside them;
- correction and contact notices ("For corrections please email …");
- URL-encoded photo captions ("Vladimir+Putin+and+Xi…"), replaced by the decoded caption
  when the page does not carry it already; duplicated lines;
- bylines and datelines (moved to ``Article.author`` / ``Article.published``).

Curly quotes and dashes are kept as they are: later stages fold them when matching. Wire
copy's typewriter quotes (``…'') become the curly quotes they stand for.
All patterns sit together at the top of this module, as one place to tune.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_plus

from rapidfuzz import fuzz

from .errors import NoTextError
from .ingest import normalise_published
from .model import Article, Removal

REASONS = {
    "breadcrumb": "breadcrumb navigation",
    "breadcrumb-title": "breadcrumb glued to the title",
    "title": "title line (kept as the article title)",
    "repeated-title": "repeated title line",
    "related": "related-stories block",
    "link": "link to another story",
    "comment-form": "comment form",
    "share": "share, subscribe or newsletter line",
    "call": "call to action (click, tap, download, sign up, follow)",
    "cookie": "cookie or consent notice",
    "advert": "advertisement marker",
    "correction": "correction or contact notice",
    "footer": "copyright footer",
    "caption-encoded": "URL-encoded photo caption",
    "duplicate": "duplicated line",
    "byline": "byline (kept as the author)",
    "dateline": "publication dateline (kept as the published date)",
}

# --- patterns (one place to tune) ----------------------------------------------------------

# Unicode spaces and invisible characters that scraped text is full of.
SPACE_CHARS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
              "\u200a\u202f\u205f\u3000\t\v\f"
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_NETWORK = r"(?:facebook|twitter|x|instagram|linkedin|tiktok|youtube|threads|bluesky|mastodon)"
# The site's own things a call to action or a share line points the reader to: its app,
# newsletter, alerts, page, channel, feed, account, a network ("Follow us on Twitter",
# "Subscribe to our YouTube channel", "DOWNLOAD: newsnet5 app"). A line with the same verb and
# none of them is prose ("Follow us on this journey.", "Subscribe to the idea?").
_SITE_THING = (rf"(?:our|your|free|news|alerts?|updates|newsletters?|notifications|e-?mails?"
               rf"|texts?|apps?|channel|page|podcasts?|feed|account|access|e-?edition|{_NETWORK})")
_BREADCRUMB_SEP = r"[/›»|>]"
BREADCRUMB = re.compile(
    rf"^(?:[^\s/›»|>]+(?:\s[^\s/›»|>]+){{0,3}}\s*{_BREADCRUMB_SEP}\s*)+"
    rf"(?:[^\s/›»|>]+(?:\s[^\s/›»|>]+){{0,5}})?$"
)
# "HomeWorldXi Jinping meets…": navigation words glued to the headline without spaces.
GLUED_NAV_START = re.compile(r"^(?:Home|Start|Main|News|Startseite)(?=[A-Z])")
GLUED_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])")

RELATED_HEADING = re.compile(
    r"^(?:related(?:\s(?:stories|articles|news|content|coverage|posts|reading|links|topics))?"
    r"|latest(?:\s(?:stories|news|articles|posts|headlines|videos))?"
    r"|more\s(?:stories|news|from\b.*|on this(?: story| topic)?|in\b.*|articles)"
    r"|recommended(?:\s(?:for you|stories|articles|reading))?|you (?:may|might) also like"
    r"|(?:most\s(?:read|popular|viewed|shared))|trending(?:\snow|\sstories)?|top stories"
    r"|editor[’']?s picks|what to read next|read next|don[’']t miss|around the web"
    r"|from (?:our|the) (?:network|partners))\s*:?$",
    re.I,
)
COMMENT_FORM = re.compile(
    r"^(?:please enter your (?:comment|name|email)(?: address)?(?: here)?"
    r"|you have entered an incorrect email address|leave a (?:reply|comment)"
    r"|(?:post|submit|add) (?:a |your )?comment|cancel reply"
    r"|save my name,? email,? and website in this browser.*"
    r"|(?:\d+\s)?comments?(?:\s\(\d+\))?|log ?in to (?:comment|reply)"
    r"|notify me of (?:follow-up|new) (?:comments|posts).*"
    r"|your email address will not be published.*|required fields are marked.*"
    r"|sign in to comment|join the (?:conversation|discussion)|comments are closed"
    r"|(?:view|show|hide|load) (?:\d+\s)?comments|be the first to comment.*"
    r"|name\*?|email\*?|website|comment\*?)\s*[!.:]?$",
    re.I,
)
# Share, subscribe and newsletter lines: "Share this article", "Subscribe to our newsletter"
# (the site's own thing after "subscribe to the", _SITE_THING: "Subscribe to the idea?" is
# prose), "Follow us on Facebook", USA Today's "Read or Share this story: <link>" (155 lines
# on 45 outlets of the GVA dev stream, 2026-12-02).
SHARE = re.compile(
    r"^(?:share(?: this)?(?: (?:article|story|page|post))?(?: on \w+)?|share via \w+"
    r"|(?:share|post) (?:on|to) (?:facebook|twitter|x|linkedin|whatsapp|reddit|email|telegram)"
    r"|tweet(?: this)?|click to (?:share|print|email)\b.*|copy(?: the)? link|email(?: this)?"
    r"|print(?: this)?(?: article| page)?|follow us(?: on \w+)?(?: for .*)?"
    rf"|follow (?:us|the [\w’' ]+?|[A-Z][\w’' ]+?) on {_NETWORK}(?:(?:,| and| or) {_NETWORK})*"
    rf"|subscribe(?: now| today| here)?(?: to (?:our|the) (?=.*\b{_SITE_THING}\b).*)?"
    r"|sign up (?:for|to) (?:(?:one|any) of )?(?:our|the) .*newsletters?.*"
    r"|(?:get|join) our .*newsletters?.*"
    r"|get (?:the|our) .*(?:briefing|newsletter|digest|alerts)"
    r"|(?:our |daily |weekly )?newsletters?|download (?:our|the) app.*"
    r"|listen to this (?:article|story).*|\d+\s?min(?:ute)?s? read|facebook|twitter|whatsapp"
    r"|(?:read or )?share this (?:story|article|page)\s*:\s*(?:https?://|www\.)\S+"
    r"|linkedin|reddit|telegram|pinterest)\s*[!.:]?$",
    re.I,
)
COOKIE = re.compile(
    r"^(?:we use cookies|this (?:web)?site uses cookies|by (?:continuing|using) (?:to use )?this"
    r" (?:web)?site|accept(?: all)? cookies"
    r"|manage (?:cookie|consent|privacy) (?:settings|preferences)"
    r"|cookie (?:policy|settings|preferences))",
    re.I,
)
ADVERT = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|paid content|skip (?:to )?(?:main )?"
    r"content|skip advert(?:isement)?|story continues below(?: advertisement)?"
    r"|continue reading below|scroll to continue(?: with content)?)\s*[-–—:.]?$",
    re.I,
)
CORRECTION = re.compile(
    r"(?:for corrections,? (?:please )?(?:e-?mail|contact|write)|to report (?:a correction|an "
    r"error|a typo)|\[email\s*protected\]|^correction:|^corrections? (?:appended|notice)"
    r"|^an earlier version of this (?:article|story)|^this (?:article|story) has been "
    r"(?:updated|corrected))",
    re.I,
)
# "Read more: <another headline>", the in-text links to other stories.
STORY_LINK = re.compile(
    r"^(?:read more|read next|read also|also read|see also|more on this|related|watch|listen"
    r"|recommended)\s*[:|–—-]\s+\S.*$",
    re.I,
)
# A call to action of the page, opening its line: "Click here to …", "Tap to watch …",
# "Download the News 5 app …", "Sign up for breaking news alerts …", "Subscribe now for …",
# "Follow @handle", "Get email notifications on …" (with a widget's "Close" button glued before
# it), "Read more articles by …". A line's own sentence that only points the reader elsewhere:
# no event, no source. Only the imperative addressed to the reader: the verb with what a call
# goes on with (click or tap here, on the …, to watch/read/…; download the/our/it/now/free/this;
# sign up for or to something of the page's (our, free, news, alerts, a newsletter …) or sign up
# now/today/here alone; subscribe to or for, or alone; read more alone or by an author), since
# the same verbs open news lines as nouns or names ("Download speeds fell …", "Download.com was
# hacked …", "Subscribe Now, a Dutch startup, …", "Tap to pay was rolled out …", "Read more than
# 300 pages …", "Sign up for the draft begins …"). On its own line only (a news line may close
# with one: "A GoFundMe page has been set up. Click here for more details." stays), short
# (SHARE_MAX_WORDS) and with no quotation or reporting word (REPORTED: "Click here to read the
# initial report …, more will be reported" stays). Bullets, arrows and brackets before it are no
# words ("• Click here …", ">> Read more …", "(CLICK HERE to watch …)"). "Click to enlarge" opens
# a caption, which stays (is_caption). With the account questions below, 138 lines of 56 outlets
# of the GVA dev stream (3,160 records), every one furniture when all were read.
CALL_TO_ACTION = re.compile(
    r"^[\W_]*(?:close\s+)?(?:"
    r"(?:click|tap)(?:\s(?:or|and) (?:click|tap))?\s(?:here|this link|on (?:the|this)"
    r"|to (?:watch|read|see|view|download|get|listen|sign|subscribe|learn|play|hear|find))\b"
    r"|download(?: (?:the|our|it|now|free|this|for|on)\b|\W*$)"
    rf"|sign up (?:now |today |here )?(?:for|to)\b(?=.*\b{_SITE_THING}\b)"
    r"|sign up (?:now|today|here)\W*$"
    rf"|subscribe(?: now| today| here)?(?:\s(?:to|for)\b(?=.*\b{_SITE_THING}\b)| or (?:log|sign)"
    r"|\W*$)"
    rf"|follow @\w|follow us\b(?=.*\b{_SITE_THING}\b|\W*$)"
    r"|get (?:(?:free|breaking|real-time|daily|email|e-mail|text|push|news)[\s,]+)+"
    r"(?:notifications|alerts|updates)\b"
    r"|read more(?: (?:here|below|on|about|at|from|articles by|(?:top )?trending stories)\b"
    r"(?![^:]*:\s*\S)|[\W_]*$))", re.I)
# A call as a label, its colon after the verb: "DOWNLOAD: newsnet5 app for Apple or Android",
# "SUBSCRIBE: newsnet5.com email alerts", "Sign up: our daily newsletter" (one of the first
# three words after the colon names the site's thing, _SITE_THING: "Sign up: Volunteers for
# the free cleanup clinic can register …" is a story's line; review of 2026-12-02), and the
# heading of a row of network buttons, "Follow" and a name in capitals, with nothing after its
# colon but a network's handle ("Follow WTOL:", "Follow Cleveland 19 News:", "Follow KHOU on
# Twitter: @KHOU"). Without a network the name is a station's: a call sign in capitals, a
# number or "News", in a line not all in capitals ("Follow Up:", "Follow The Money:", "FOLLOW
# UP:", "Follow the money:" are subheads). The label reads as a speaker's "Name:" to REPORTED,
# so only what follows the label is checked for a quotation or a reporting word. 8 lines of
# the GVA dev stream, all furniture, all still found.
LABEL_CALL = re.compile(
    r"^[\W_]*(?:(?i:download|subscribe|sign up)\s*:\s*"
    rf"(?=(?:\S+\s+){{0,2}}\S*?\b(?i:{_SITE_THING})\b)"
    r"|(?=\w*[a-z])(?i:follow)\s"
    rf"(?=[^:]*(?:\b[A-Z]{{2,}}\d*\b|\d|\bNews\b| (?i:on {_NETWORK})\s*:))"
    r"[A-Z][\w.&'’-]*(?:\s[A-Z0-9][\w.&'’-]*)*"
    rf"(?: (?i:on {_NETWORK}))?\s*:(?:\s*@\w+)?\W*$)")
# A short question about the reader's subscription or account: the reader's own ("Do you have
# an account?") or, with no subject, asked of the reader ("Already a subscriber?", "Want to
# become a full access subscriber?", "Have an online subscription?", "Not signed up yet?").
# Other account words are no sign of the page: a security story's subheads ask "Is your
# password safe?", "Who has access to your profile?".
ACCOUNT_QUESTION_MAX_WORDS = 8
ACCOUNT_QUESTION = re.compile(r"\b(?:subscri(?:bers?|ptions?|bed)|signed up|logged in)\b",
                              re.I)
ASKED_OF_THE_READER = re.compile(r"^(?:already|not|want|new|still|become|have|need)\b", re.I)
# An account or a registration only as the whole of what is asked, with no subject ("Already
# have an account?", "Not registered?", "Need a free account?"): a story's subheads ask about
# other accounts and registrations ("Is your bank account safe?", "Need a bank account?",
# "Are you registered to vote?", "Not registered to vote?"; review R3).
ACCOUNT_ENDING = re.compile(r"\b(?:an? (?:free |online |digital )?account|registered)\W*$",
                            re.I)
# How far a sign-up widget's account lines reach from its share line or call (_widget_lines).
WIDGET_REACH = 2
# Share/newsletter lines are short; a newsletter pitch can run to this many words.
SHARE_MAX_WORDS = 25
# A notice of the page's reader account, told by its address to the reader, its account words
# and the site's own voice ("We have sent you a verification email.", "Click on the button below
# to set up your account or log in …", "Whenever Name posts new content, you'll get an email
# delivered to your inbox …", "Sign in using your wsbtv profile"): a short line
# (SHARE_MAX_WORDS) with all three, and no quotation mark or reporting word (``REPORTED``), so
# that a quotation or a news line telling readers what to do is never taken ("'If you get an
# email asking for your password, hang up,' police said."; "You can sign up for the vaccine
# lottery until Friday, the governor said."). 109 lines on 28 outlets of the GVA dev stream
# (benchmarks/leads.py), every one furniture; "account" alone is no account word ("You can
# donate at … under the account name …").
READER = re.compile(r"\b(?:you|your|you['’]ll|you['’]ve)\b", re.I)
ACCOUNT_WORDS = re.compile(
    r"\b(?:profile|log ?in|sign ?in|sign(?:ing)? ?up|inbox|password|verification|subscri\w*"
    r"|newsletters?|digital access|zip ?code|e-?mail alerts?"
    r"|(?:your|e-?mail|push) notifications?)\b", re.I)
# The site speaking: "we'll"/"we've"/"we're", "we have sent", "please", "click", a widget's own
# words, or a line opening with an order to sign in or up ("Sign in using …", "Subscribe now";
# not the noun of a news line: "Login pages were offline …", "Subscribe rates fell …"). Not a
# bare "we" nor an opening "Get" or "Enter": news lines and notices talk so too ("We all reuse
# passwords. If you do, change your password today."; "Get your flu shot and sign up for text
# alerts …"). On the GVA dev stream this keeps 120 of the 121 account lines the first version
# took, all furniture (the one left: "Get The Top 5 News Stories Each Day in Your InBox").
SITE_VOICE = re.compile(
    r"\b(?:we['’](?:ll|ve|re)|we have sent|please|click|tap|you['’]ve (?:now )?read"
    r"|you haven['’]t selected|posts new content|this (?:post|page|site))\b"
    r"|^(?:or )?(?:(?:sign (?:in|up)|log ?in)(?:\s(?:to|with|using|via|here|now|for|below)\b|\W*$)"
    r"|subscribe(?:\s(?:now|today|here|to|for)\b|\W*$))", re.I)
# A quotation (double or single marks; an apostrophe inside a word is none), a speaker's
# "Name:" or a Q and A, or a reporting word: a line of the story, not of the page (guards the
# share and footer rules; the words are those of attributions, statements and of the people
# and offices news lines cite).
# The verbs that report what someone said (REPORTED's, and a caption credit's guard).
_SAYING = (r"said|says|say|told|tells|testified|according|added|adds|wrote|writes|announced"
           r"|announces|stated|tweeted|noted|asked|argued|claimed|reported|explained")
REPORTED = re.compile(
    r"[\"“”„«»‘]|(?<!\w)’|’(?!\w)|(?<!\w)'|'(?!\w)|^(?:[A-Z][\w.&-]*\s){0,3}[A-Z][\w.&-]*:\s"
    rf"|\b(?:{_SAYING}|warn(?:s|ed|ing)?|urg(?:e|es|ed|ing)|advis(?:e|es|ed|ing)|statement"
    r"|police|officials?|authorities|spokes\w*|experts?|department|county|mayor)\b",
    re.I)
# The footers' guard: a quotation or a reporting verb (not the office nouns of REPORTED: "©
# 2016 Orange County Register. All rights reserved." is a footer).
FOOTER_GUARD = re.compile(
    r"[\"“”„«»]|\b(?:said|says|say|told|tells|testified|according|added|wrote|announced"
    r"|stated|declined|reported|explained)\b", re.I)
# A short footer opening with its copyright notice: "©", or "(c)" or "Copyright" with a year (no
# text after its "All rights reserved." but the notice's own "Do not reproduce …", "as
# distributed by …": "… All rights reserved. The AP contributed to this report." stays);
# "Copyright" and a name that ends no sentence ("Copyright Associated Press / NBC New York":
# capitalised words, numbers, slashes, not a headline's words, "Copyright Office weighs in");
# or a line closing with the reservation after a notice ("Copyright WECT. All rights
# reserved.", "™ & © 2013 Cable News Network, Inc. … All rights reserved."). "Copyright law
# has not kept pace …", "(c) Subsection (a) does not apply:" are text. On the GVA dev stream:
# the same 61 footers as before, and two lines the earlier rule took kept (the one above with
# the AP's contribution, a statute's "(c)").
_NOTICE_OPENING = (r"(?:©|(?i:copyright\s*(?:©|\(c\)))"
                   r"|(?i:(?:\(c\)|copyright\b)\s*(?:\(c\)\s*)?\d{4}\b))")
FOOTER = re.compile(rf"^{_NOTICE_OPENING}(?!.*\b(?i:all rights reserved)\b\.?\s*"
                    r"(?!(?i:do not reproduce|this material|as distributed))\w)"
                    r"|^(?i:copyright)\s+(?!.*[.!?][\"'”’)]*$)[A-Z][\w.&'’-]*"
                    r"(?:\s+(?:[A-Z0-9][\w.&'’-]*|[/&|,–—-]|(?:by|of|the|and|for|de)\b))*\s*$"
                    r"|^(?:\W*|.*©.*|(?i:copyright)\s+[A-Z].*)(?i:all rights reserved)\.?$")
# A copyright notice runs longer than other footers ("Copyright 2015 The Associated Press. All
# rights reserved. This material may not be published, broadcast, rewritten or
# redistributed.": 61 lines of the GVA dev stream over 15 words, none over 40): the notice
# with its year and owner, then nothing but the standard sentence, so that no text glued after
# it goes with it ("… All rights reserved. The Associated Press contributed to this report."
# stays).
NOTICE = re.compile(
    r"^(?:©|\(c\)|copyright\b)(?:\s*(?:©|copyright\b))?\s*\d{4}\b[^\"“”]{0,100}?"
    r"\ball rights reserved\b\.?"
    r"(?:\s*this material may not be published, broadcast, rewritten,? or redistributed\b\.?)?$",
    re.I)
BYLINE = re.compile(r"^[Bb][Yy]:?\s+([A-Z][\w.'’-]+(?:\s(?:[A-Z][\w.'’-]+|and|&|de|van|von|al))*)"
                    r"(?:\s*[,|–—-]\s*.{0,40})?$")
DATELINE = re.compile(r"^(?:published|updated|posted|last updated|first published)\b[:\s]*"
                      r"(?:on\s)?(.{6,60})$", re.I)
# A photo or video caption, told by its credit (issue 13). A caption stays in the text: its names,
# dates and credit are evidence for the later stages (the photo credit is a citation of its own
# kind; an undated page may be dated by its caption alone). But it is no sentence of the story: the
# summary leaves it out of its candidates, so never takes it for a lead (:func:`is_caption`;
# synthesize.select_candidates). The credit forms of the GVA dev stream's 3,148 local news pages
# (1,000+ outlets), each seen on several outlets or on many pages of a big one: "(Photo: Name,
# Outlet)", "(AP Photo/Name)", "(WDTN Photo/Name)", "(Photo Source: …)", "(Courtesy of the family)",
# "(File/FOX5)", "Photo: Name", "Photo credit: …",
# "(Photo by Name/Getty Images)", "Name/Getty Images", a freelance's "Name/for The Outlet", the
# gallery's "View Full Caption", "Image 3 of 40", "Caption Close", "Buy Photo", "enlarge photo",
# "staff photos can be ordered", and a video's "(Published Friday, June 12, 2015)" closing the line.
# Each names a picture's maker, the gallery around it or a video's date. On that stream: 993 lines
# of 435 articles, 4.7 % of the words (BENCHMARKS.md, "Leads on web pages").
# "AP Photo/…" opening a line without brackets is left alone: one outlet glues the credit to the
# lead that follows it. "(Source: …)" closing a line is a credit only when it names a picture's
# source: a station's call sign, a network's channel, a social site, a map ("(Source: WMC Action
# News 5)", "(Source: KPHO/KTVK)", "(Source: FOX5)", "(Source: Facebook)": Raycom's and other
# stations' captions, 31 lines of 38 closing so on the GVA dev stream; the others name a person
# or a police department), since a news line closes its data so ("… the lowest rate since 2000.
# (Source: Bureau of Labor Statistics)"). Without it, 20 of those pages' leads were a caption.
_PICTURE_SOURCE = (r"(?:[KW][A-Z]{3}|WMC|(?:CBS|NBC|ABC|FOX) ?\d+|Raycom|Facebook|Twitter"
                   r"|Instagram|YouTube|Google (?:Maps|Earth))")
# A bare credit in brackets closing a line after its sentence's end: a photographer and the
# outlet after a slash ("(Todd Maisel/New York Daily News)", "(Eric Youngman/FOX5)"). Not after
# a comma: a reporter's byline closes a wire story's paragraph so ("… were found dead in the
# apartment on Monday. (Jane Doe, Associated Press)"; review of 2026-12-02), though 4 captions
# of the GVA dev stream credit so ("(Terrence Antonio James, Chicago Tribune)"). Not a news
# agency alone ("… the ministry said. (Reuters)": wires close their stories so) nor a word in
# lower case ("(Source: Bureau of Labor Statistics)" is above).
# After a sentence's end (and its closing quote), one space: where a line's closing credit
# in brackets opens.
_CREDIT_OPENS = r"(?:(?<=[.!?] )|(?<=[.!?][\"'”’] ))"
_BARE_CREDIT = (_CREDIT_OPENS + r"\("
                r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} ?/ ?[A-Z][\w.&'’-]*"
                r"(?: [A-Z][\w.&'’-]*){0,4}\)$")
# A station's call sign or network alone in brackets closing a line after its sentence ("… in
# Vallejo on February 11, 2013. (CBS)", "… were found killed. (WXIN-TV)", "(WUSA9)", "(KHOU
# 11)"): a caption's credit only in a short line with no reporting verb, since a station's
# story closes its paragraphs so too ("… is expected to survive, police said. (WKRN)"; review
# of 2026-12-02). The 19 lines so closed on the GVA dev stream have at most 36 words but one
# (72, three captions glued together); that one and one other carry a reporting verb ("…,
# authorities said. (WUSA9)") and are read as text now, the 17 others stay captions.
CALL_SIGN_CREDIT = re.compile(_CREDIT_OPENS + r"\("
                              r"(?:[KW][A-Z]{2,3}|CBS|NBC|ABC|FOX)(?:-TV)?(?: ?\d{1,2})?\)$")
CALL_SIGN_CAPTION_MAX_WORDS = 40
_REPORTING_VERB = re.compile(rf"\b(?:{_SAYING}|reports)\b", re.I)
CAPTION_CREDIT = re.compile(
    r"\((?:[A-Z][\w.&'’-]*\s)?(?i:(?:photos?|image|video|file)(?:\s(?:source|credit|courtesy))?"
    r"\s?(?::|/|\sby\s|\scourtesy\b)|courtesy(?:\s?:|\sof\s))[^()]{0,80}\)"
    r"|(?:^|\s)Photos?(?:\s(?i:credit))?:\s\S|\bPhoto by [A-Z]"
    rf"|\(Source:[^()]{{0,40}}?\b{_PICTURE_SOURCE}\b[^()]{{0,40}}\)$"
    r"|View Full Caption|Caption Close|\benlarge photo\b|\bBuy (?:[Tt]his )?Photo\b"
    r"|/\s?Getty Images\b|\b[A-Z][a-z'’-]+/[Ff]or (?:[Tt]he )?[A-Z]"
    r"|^Image \d+ of \d+\b|(?i:staff photos can be ordered)"
    r"|\(Published [A-Z][a-z]+day, [A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}\)$"
    rf"|{_BARE_CREDIT}")
# A caption is short, or its credit opens or closes it (a gallery of captions is one long line
# opening with "Image 1 of 9"): a credit inside a long line is a caption glued into the text
# of a page, which the line keeps (two such pages of the GVA stream, 147 and 299 words).
CAPTION_MAX_WORDS = 60
# Words a credit may stand from the edge of a line it opens or closes ("Buy Photo A man …",
# "… (Photo: Name) Story Highlights Eight people were shot …").
CAPTION_EDGE_WORDS = 12
# A long line a credit only closes is a caption up to this many words: the longest such wire
# caption of the GVA dev stream has 130 ("… (Photo by Name/Getty Images)"), a gallery's teaser
# 137; a longer paragraph ending with a credit is text with a picture's credit glued on (194
# words on one page; a news paragraph of 160 words closed by "(AP Photo/Name)").
CAPTION_CLOSED_MAX_WORDS = 140
# (Possessive "++": a run of word characters is never split again to retry, which made a
# long word followed by a space take exponential time.)
URL_ENCODED = re.compile(r"^(?=\S*[+%])(?:[\w.,'’\-]++|%[0-9A-Fa-f]{2}|\+)+$")

# A wire dateline on a line of its own ("WASHINGTON, August 8 (Xinhua) --"): the start of
# the lead, not a headline, so it stays in the text with its date (issue 17: taken for the
# title, it took 11 of AQUAINT's dates with it).
WIRE_DATELINE = re.compile(
    r"^[A-Z][A-Za-z.'’-]*(?:\s[A-Za-z.'’-]+){0,3}(?:,\s[A-Z][\w.'’-]*(?:\s[\w.'’-]+){0,2})?,\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s+\d{4})?"
    r"(?:\s+\([\w .-]{2,30}\))?\s*(?:--|[-–—_:])?\s*$")
# A headline: a short line that does not end like a body sentence.
TITLE_MAX_WORDS = 25
# Lines this short or shorter are not checked for duplication (subheadings may repeat).
DUPLICATE_MIN_WORDS = 4
# A teaser in a related-stories block: a short headline, or a caption cut off with an ellipsis.
TEASER_MAX_WORDS = 25
# A widget's link cut off with an ellipsis, wherever it stands: the known strings of the GVA dev
# stream, each on two or more outlets or a platform's own ("Just One More Thing..." on 3 Cox
# outlets, 27 lines; WordPress's "Like this: Like Loading..." on 2, 20 lines; "More Video..." on
# 2) or a plain link ("Read the complete story..."). A list, not a shape: a short line cut off
# with an ellipsis may be text ("Suspect still at large...", "So, I dunno…", a paywall's cut
# "Excluding the...").
CUT_LINK = re.compile(
    r"^(?:just one more thing|(?:like this:\s*)?like loading|more videos?"
    r"|read the (?:complete|full|whole) (?:story|article))\s*(?:\.\.\.|…)$", re.I)

# spaCy's tokenizer strips the punctuation and symbols around a word one mark at a time,
# scanning the rest of the word again each time: a run of n marks costs n² (8,000 "=" take
# 30 s), and each mark is a token for every later stage. Longer runs ("=====…", "!!!!…",
# emoji floods) are cut to this many marks: they carry nothing past that.
MAX_MARK_RUN = 64
# Wire copy's typewriter quotes, as TeX writes them: ``double'' and `single' (a quotation
# inside one: 21 lone ` beside 1,327 `` in DUC 2004's 250 development articles, AP and NYT
# copy). A lone ' stays (an apostrophe, or the single quote's close, not told apart from
# one), so the two closes together, ''', read '' then ': ”' as before.
_TYPEWRITER_QUOTES = re.compile(r"``|''|`")
_TYPEWRITER_CURLY = {"``": "\u201c", "''": "\u201d", "`": "\u2018"}
_MARK_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_MARK_RUN + 1},}}")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                         "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-"})


@dataclass(frozen=True)
class _Line:
    text: str
    index: int


def normalise_text(text: str) -> str:
    """NFC, one kind of line ending, plain spaces; invisible characters dropped.

    Quotes, dashes and ellipses are left alone: they are content. The one exception is the
    typewriter convention of wire copy and TeX (``like this'', and `this' inside), written
    as the curly quotes it stands for, so that quotations are found in it
    (``_TYPEWRITER_QUOTES``); a lone '' (an inch mark, a ditto) stays. Runs of over
    ``MAX_MARK_RUN`` marks ("=====…") are cut to that many.
    """
    text = unicodedata.normalize("NFC", text)
    if "``" in text:
        text = _TYPEWRITER_QUOTES.sub(lambda mark: _TYPEWRITER_CURLY[mark.group()], text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    text = text.translate({ord(c): " " for c in SPACE_CHARS})
    text = text.translate({ord(c): None for c in INVISIBLE_CHARS})
    text = re.sub(r"[ ]{2,}", " ", text)
    text = _MARK_RUN.sub(lambda run: run.group()[:MAX_MARK_RUN], text)
    return "\n".join(line.strip() for line in text.split("\n"))


_NOT_KEY = re.compile(r"[^\w\s'\"-]")


def fold(text: str) -> str:
    """A matching key: quotes and dashes folded, case folded, spaces collapsed."""
    text = text.translate(_QUOTES).casefold()
    # split() and the regex's \s both break at exactly the characters str.isspace() knows.
    return " ".join(_NOT_KEY.sub(" ", text).split())


def _words(text: str) -> int:
    return len(text.split())


def _ends_like_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?;:][\"'”’)\]]*$", text)) and not _ends_with_ellipsis(text)


def _ends_with_ellipsis(text: str) -> bool:
    return bool(re.search(r"(?:\.\.\.|…)[\"'”’)\]]*$", text))


def looks_like_headline(text: str) -> bool:
    """A short line that reads as a headline rather than a body sentence."""
    words = text.split()
    if WIRE_DATELINE.match(text):
        return False
    # A sentence closing inside quotation marks or brackets ends where they open: ."  .”  .)
    end = text.rstrip("\"'”’»)]")
    if not 2 <= len(words) <= TITLE_MAX_WORDS or end.endswith((".", ":", ";", ",")):
        return False
    if end.endswith(("?", "!")):
        capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
        return capitalised >= 0.6 * len(words)
    return True


def _same_title(line: str, title: str, *, a: str | None = None, b: str | None = None) -> bool:
    """Whether ``line`` is the title ``title``; ``a`` and ``b``: their folds, when known (the
    cleaner folds the title once, not once per line: that was half of cleaning's time)."""
    a = fold(line) if a is None else a
    b = fold(title) if b is None else b
    if not a or not b:
        return False
    if a == b:
        return True
    # Page titles often carry the site name: "Big news - Example Times", "Big news | Site".
    if b.startswith(a) and len(a) >= 0.5 * len(b) and _words(line) >= 3:
        return True
    # Near the title, but a sentence: the lead retelling the headline ("Milwaukee police are
    # investigating a fatal shooting." under "Milwaukee police investigating fatal shooting"),
    # not the title again (the only 2 lines the fuzzy match took on the GVA dev stream's 3,148
    # pages were such leads; benchmarks/leads.py).
    return _words(line) >= 3 and fuzz.ratio(a, b) >= 92 and not _ends_like_sentence(line)


def _decode_caption(line: str) -> str | None:
    if not URL_ENCODED.match(line) or line.count("+") < 3:
        return None
    decoded = unquote_plus(line).strip()
    return decoded if decoded != line and _words(decoded) >= 3 else None


def _split_glued_breadcrumb(line: str) -> tuple[str, str] | None:
    """"HomeWorldXi Jinping meets…" -> ("HomeWorld", "Xi Jinping meets…")."""
    if not GLUED_NAV_START.match(line):
        return None
    first, _, rest = line.partition(" ")
    cuts = [m.start() for m in GLUED_BOUNDARY.finditer(first)]
    if not cuts:
        return None
    cut = cuts[-1]
    return first[:cut], (first[cut:] + (" " + rest if rest else "")).strip()


def _is_breadcrumb(line: str) -> bool:
    return (
        _words(line) <= 10
        and bool(BREADCRUMB.match(line))
        and bool(re.search(rf"(?:\s{_BREADCRUMB_SEP}|{_BREADCRUMB_SEP}\s|{_BREADCRUMB_SEP}$)",
                           line))
        and not _ends_like_sentence(line)
    )


def bare_line(line: str) -> str:
    """A line without the markdown emphasis around it ("**Advertisement**", "_Photo: …_")."""
    return line.strip("*_ ").strip()


def is_caption(line: str) -> bool:
    """A photo caption or credit line: a credit (:data:`CAPTION_CREDIT`) in a short line, or
    opening a long one, or closing one of at most ``CAPTION_CLOSED_MAX_WORDS`` words; or a
    station's call sign alone closing a line (:data:`CALL_SIGN_CREDIT`) of at most
    ``CALL_SIGN_CAPTION_MAX_WORDS`` words with no reporting verb. A credit
    that a full stop closes ("Nine people died (Photo: AP News).") is inside a sentence of the
    text, unless it opens the line: a caption's credit stands after its last sentence ("… in
    Houston. (Photo: KHOU)"); so is a bracketed credit followed by more words ("The suspect fled
    (video: footage released by police) before officers arrived."), unless what follows is
    another credit ("(Photo: Jane Roe)Buy Photo"). Linear time: only the first and the last
    credit are measured against the line's edges."""
    line = bare_line(line)
    found = list(CAPTION_CREDIT.finditer(line))
    credits = [credit for n, credit in enumerate(found)
               if _stands_as_credit(line, credit, found[n + 1] if n + 1 < len(found) else None)]
    words = _words(line)
    if not credits:
        call_sign = CALL_SIGN_CREDIT.search(line)
        return (call_sign is not None and words <= CALL_SIGN_CAPTION_MAX_WORDS
                and not _REPORTING_VERB.search(line[:call_sign.start()]))
    if words <= CAPTION_MAX_WORDS or _words(line[:credits[0].start()]) <= CAPTION_EDGE_WORDS:
        return True
    return (words <= CAPTION_CLOSED_MAX_WORDS
            and _words(line[credits[-1].end():]) <= CAPTION_EDGE_WORDS)


_AFTER_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")


def _stands_as_credit(line: str, credit: re.Match[str], after: re.Match[str] | None) -> bool:
    """Whether ``credit`` (a match of CAPTION_CREDIT in ``line``) credits a picture rather than
    standing inside a sentence; ``after``: the next credit found in the line, if any."""
    end = credit.end()
    if credit.start() > 0 and line[end:end + 1] in (".", "!", "?"):
        return False
    if not credit.group().startswith("(") or credit.start() == 0:
        return True
    # A bracketed credit inside the line stands after a sentence's end ("… on Friday. (Photo:
    # AP) Story Highlights …"), not inside a sentence ("The suspect fled (video: footage
    # released by police) before officers arrived."), or closes the line (below).
    if _AFTER_SENTENCE.search(line[max(0, credit.start() - 8):credit.start()]):
        return True
    # What follows a bracketed credit, up to the next credit: nothing but marks and spaces
    # (each stretch of the line is read once over all the credits).
    return not re.search(r"\w", line[end:after.start() if after is not None else len(line)])


def is_call_to_action(text: str) -> bool:
    """Whether ``text`` (a line or a sentence) is the page asking its reader to act, and
    nothing else: it opens with a call (:data:`CALL_TO_ACTION`: "Click here to …", "Download
    the … app", "Follow @…") or is a short question about the reader's subscription
    ("Already a subscriber?"), in at most ``SHARE_MAX_WORDS`` words with no quotation or
    reporting word (``REPORTED``)."""
    text = bare_line(text)
    words = _words(text)
    label = LABEL_CALL.match(text)
    if label is not None:
        return words <= SHARE_MAX_WORDS and not REPORTED.search(text[label.end():])
    return words <= SHARE_MAX_WORDS and not REPORTED.search(text) and bool(
        CALL_TO_ACTION.match(text)
        or (words <= ACCOUNT_QUESTION_MAX_WORDS and text.endswith("?") and (
            (ACCOUNT_QUESTION.search(text) is not None
             and (READER.search(text) is not None
                  or ASKED_OF_THE_READER.match(text) is not None))
            or (ACCOUNT_ENDING.search(text) is not None
                and ASKED_OF_THE_READER.match(text) is not None))))


def _standalone_reason(line: str) -> str | None:
    """The reason a line is boilerplate on its own, wherever it stands."""
    bare = bare_line(line)
    if not bare:
        return None
    if CORRECTION.search(bare) and _words(bare) <= 40:
        return "correction"
    if COOKIE.match(bare):
        return "cookie"
    if _words(bare) <= SHARE_MAX_WORDS and not REPORTED.search(bare) and (
            SHARE.match(bare) or (READER.search(bare) and ACCOUNT_WORDS.search(bare)
                                  and SITE_VOICE.search(bare))):
        return "share"
    if is_call_to_action(bare):
        return "call"
    if _words(bare) <= SHARE_MAX_WORDS and STORY_LINK.match(bare) and not _ends_like_sentence(bare):
        return "link"
    if CUT_LINK.match(bare):
        return "link"
    if NOTICE.match(bare) and not FOOTER_GUARD.search(bare):
        return "footer"
    if _words(bare) > 15:
        return None
    for reason, pattern in (("comment-form", COMMENT_FORM), ("advert", ADVERT)):
        if pattern.match(bare):
            return reason
    if FOOTER.match(bare) and not FOOTER_GUARD.search(bare):
        return "footer"
    return None


def _widget_lines(reasons: list[str | None], lines: list[str]) -> set[int]:
    """The indices of the rest of a sign-up widget around the share lines and calls to action
    in ``reasons`` (each line's :func:`_standalone_reason`): a short line (``SHARE_MAX_WORDS``)
    with an account word (``ACCOUNT_WORDS``) and no quotation or reporting word (``REPORTED``)
    that speaks to the reader (``READER``), is the site speaking (``SITE_VOICE``) or ends like
    no sentence ("Your notification has been saved.", "Email notifications are only sent once a
    day …" under "Get email notifications on Name daily!"; "Welcome back. Please sign in" above
    a sign-up notice), next to a share line or a call, or to such a line next to one: at most
    ``WIDGET_REACH`` lines away; on a page that holds nothing else, any such account line. A
    news line beside a widget is none: it tells of people other
    than the reader, as a sentence ("Customers must reset their password before logging in
    again."), or keeps its reporting word ("The victims' names were withheld pending
    notification of relatives, police said."). 84 lines of 11 outlets of the GVA dev stream, all
    furniture."""

    def account_line(i: int) -> bool:
        bare = bare_line(lines[i])
        return (reasons[i] is None and _words(bare) <= SHARE_MAX_WORDS
                and bool(ACCOUNT_WORDS.search(bare)) and not REPORTED.search(bare))

    def widget(i: int) -> bool:
        bare = bare_line(lines[i])
        return account_line(i) and bool(READER.search(bare) or SITE_VOICE.search(bare)
                                         or not _ends_like_sentence(bare))

    def around(is_widget: Callable[[int], bool]) -> set[int]:
        found: set[int] = set()
        for seed, reason in enumerate(reasons):
            if reason not in ("share", "call"):
                continue
            for step in (-1, 1):
                for i in range(seed + step, seed + step * (WIDGET_REACH + 1), step):
                    if not 0 <= i < len(lines) or not is_widget(i):
                        break
                    found.add(i)
        return found

    found = around(widget)
    if not found:
        return found
    # A page of nothing but a widget that speaks to its reader: its account lines go whatever
    # their voice ("Email notifications are only sent once a day, and only if there are new
    # matching items.").
    everything = around(account_line)
    if all(reason is not None or i in everything for i, reason in enumerate(reasons)):
        return everything
    return found


def _is_teaser(line: str) -> bool:
    """A teaser headline (which may end in ? or !) or a caption cut off with an ellipsis."""
    if _ends_with_ellipsis(line):
        return _words(line) <= 40
    return _words(line) <= TEASER_MAX_WORDS and not re.search(r"[.;:][\"'”’)\]]*$", line)


class _Cleaner:
    """Walks the lines of one article once, deciding for each: keep, drop or replace."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.title = article.title
        self.kept: list[str] = []
        self.removed: list[Removal] = []
        self.offset = 0
        self.seen: set[str] = set()
        self._title_fold: tuple[str, str] | None = None  # (title, its fold)

    def keep(self, text: str, key: str | None = None) -> None:
        """Keep ``text`` (``key``: its fold, when known)."""
        if self.kept:
            self.offset += 2
        self.kept.append(text)
        self.offset += len(text)
        if _words(text) >= DUPLICATE_MIN_WORDS:
            self.seen.add(fold(text) if key is None else key)

    def same_title(self, line: str, key: str | None = None) -> bool:
        """``_same_title`` against the current title, whose fold is kept while it stays."""
        assert self.title is not None
        if self._title_fold is None or self._title_fold[0] != self.title:
            self._title_fold = (self.title, fold(self.title))
        return _same_title(line, self.title, a=key, b=self._title_fold[1])

    def drop(self, text: str, reason: str) -> None:
        self.removed.append(Removal(text, REASONS[reason], self.offset))

    def run(self, lines: list[str]) -> tuple[str, list[Removal]]:
        in_related = False
        reasons = [_standalone_reason(line) for line in lines]
        widgets = _widget_lines(reasons, lines)
        for i, line in enumerate(lines):
            nearby = lines[max(0, i - 3):i] + lines[i + 1:i + 4]
            reason = reasons[i]
            # A widget line is never the first line of the article, nor the headline the title
            # detection takes (its account word may be the story's: "Retailer Resets Every
            # Password After Breach" above "Share this article").
            if reason is None and i in widgets and not (
                    not self.kept and (i == 0 or self._takes_as_title(line))):
                reason = "share"
            if reason:
                self.drop(line, reason)
                continue
            if RELATED_HEADING.match(line.strip("*_# ")):
                in_related = True
                self.drop(line, "related")
                continue
            if in_related:
                if _is_teaser(line):
                    self.drop(line, "related")
                    continue
                in_related = False
            if not self.kept and self._meta_line(line):
                continue
            key = fold(line)
            if self._title_line(line, key):
                continue
            if _is_breadcrumb(line):
                self.drop(line, "breadcrumb")
                continue
            caption = _decode_caption(line)
            if caption is not None:
                self.drop(line, "caption-encoded")
                if not any(fold(caption) == fold(other) for other in nearby):
                    self.keep(caption)
                continue
            if key in self.seen:
                self.drop(line, "duplicate")
                continue
            self.keep(line, key)
        return "\n\n".join(self.kept), self.removed

    def _title_line(self, line: str, key: str) -> bool:
        """Handle a line that is (or carries) the title; True when it was dealt with.
        ``key``: the line's fold."""
        glued = _split_glued_breadcrumb(line)
        if glued is not None:
            _, headline = glued
            if self.title is None and looks_like_headline(headline):
                self.title = headline
            if self.title is not None and self.same_title(headline):
                self.drop(line, "breadcrumb-title")
                return True
        if self.title is not None:
            if self.same_title(line, key):
                already = any(r.reason in (REASONS["title"], REASONS["breadcrumb-title"])
                              for r in self.removed)
                self.drop(line, "repeated-title" if already else "title")
                return True
            return False
        if not self.kept and looks_like_headline(line) and not _is_breadcrumb(line):
            self.title = line
            self.drop(line, "title")
            return True
        return False

    def _takes_as_title(self, line: str) -> bool:
        """Whether :meth:`_title_line` would take ``line`` (met before anything was kept) as
        the title or as a line carrying it."""
        glued = _split_glued_breadcrumb(line)
        if glued is not None and (looks_like_headline(glued[1]) if self.title is None
                                  else self.same_title(glued[1])):
            return True
        if self.title is not None:
            return self.same_title(line)
        return looks_like_headline(line) and not _is_breadcrumb(line)

    def _meta_line(self, line: str) -> bool:
        """A byline or dateline at the top of the article, moved into the metadata."""
        byline = BYLINE.match(line)
        if byline and _words(line) <= 12:
            if not self.article.author:
                self.article.author = byline.group(1)
            self.drop(line, "byline")
            return True
        dateline = DATELINE.match(line)
        if dateline and _words(line) <= 12:
            published = normalise_published(dateline.group(1))
            if published:
                if not self.article.published:
                    self.article.published = published
                self.drop(line, "dateline")
                return True
        return False


def clean_text(article: Article) -> tuple[str, list[Removal], str | None]:
    """The clean text of an article, what was removed, and the title found (or given)."""
    lines = [ln for ln in normalise_text(article.text).split("\n") if ln.strip()]
    cleaner = _Cleaner(article)
    text, removed = cleaner.run(lines)
    return text, removed, cleaner.title


def clean_article(article: Article) -> Article:
    """Clean one article in place: sets ``text``, ``removed`` and, when found, ``title``.

    Raises NoTextError when nothing but boilerplate was there.
    """
    text, removed, title = clean_text(article)
    if not text.strip():
        raise NoTextError("nothing left after removing boilerplate", article.input)
    article.text = text
    article.removed = removed
    article.title = title
    article.paragraphs = []
    article.sentences = []
    article.doc = None
    return article
