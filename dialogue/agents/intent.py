"""What a doctor's message asks: its parts, each part's intent, and whether it is a probe or a closing.

Pure functions, no model. Cue words are whole words (`\\bever\\b` never matches *fever*); a part is one
question or statement of the doctor's message, and a compound question ("When did it start, and have you
put anything on it?") gives one part per thing asked. The grounded patient answers every part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from dialogue.agents.form import plain_form
from dialogue.agents.lexicon import LAY_WORDS
from dialogue.agents.markup import plain_text
from dialogue.agents.shorthand import plain_clinical
from dialogue.agents.speech import plain_speech

# Intents that point at a history category of the case facts (schema.FactCategory).
CATEGORY_OF_INTENT: dict[str, str] = {
    "medications": "medications",
    "allergies": "allergies",
    "past_history": "past_history",
    "family": "family",
    "social": "social",
    "systems": "review_of_systems",
    "ideas": "ideas",
    "concerns": "concerns",
    "expectations": "expectations",
}

# Whole-word cue patterns per intent ("\w*" allows endings: medic\w* = medicine, medicines, medication).
_INTENT_CUES: dict[str, tuple[str, ...]] = {
    "onset": (
        r"when did",
        # not how long a routine takes ("How long's he at it?", "How long him spend at it?")
        r"how long(?!'?s? (he|she|you|they|him|her) (at it|spend\w*|brush\w*))(?! (do|does|did) (you|he|she|they) "
        r"(spend|take|brush|keep it|leave it|stay|keep|wear|sit))(?! (he|she|you|him|her) (spend|at it))"
        r"(?! (are |is )?(you|he|she|they) (are |is )?(stay|keep|wear|sit|spend|leav)\w*)",  # "how long you are staying in them"
        r"since when",
        # not "Starting with site:", nor a story told from the start ("Tell me from the start", "Start at the beginning")
        r"(?<!to )(?<!let's )(?<!the )(?<!before this )(?<!before that )(?<!before it )start(ed|s|ing)?(?! \w+ing\b)(?! (off )?with\b)(?! (at|from) the (very )?(beginning|start|top)\b)",
        r"began",
        r"begin(?! by)",
        r"first (notice|appear)\w*",
        # "when the first ones appeared", "when exactly the rash came up"
        r"when (exactly |roughly )?(the |these |this |it |they |that |his |her |your )?[\w ]{0,20}?(appeared|came (up|out|on)|"
        r"(showed|popped|cropped|flared) up)",
        r"first (come|came|pop\w*) (up|out|on)",
        r"when (did )?(it|they|these|this|that|the \w+) (first )?(turned|popped|cropped|showed) up",
    ),
    "course": (
        r"chang\w*",
        r"spread\w*",
        r"worse",
        r"better",
        r"getting",
        r"come and go",
        r"constant",
        r"progress\w*",
        r"(good|bad) (days|spells|weeks)",
        r"where (are|is|'re) (we|things) at",
        r"ups and downs",
        r"stay\w* (put|the same)",  # "has the lifted part stayed put or crept further back?"
        r"hang (around|about)",  # "does a single welt hang around for long, or does it go?"
        r"crept|creep\w*",
    ),
    "severity": (r"how (bad|severe|much)", r"severe", r"scale", r"out of (ten|10)", r"bother\w*", r"keep\w* you up"),
    "location": (
        r"where(?! (are|is|'re) (we|things) at\b)",  # "where are we at now?" asks the course
        r"whereabouts",
        r"which (part|bit|side|area|nail|teeth|tooth|finger|toe|eye|eyelid|lid|hand|feet|foot)s?",
        r"which \w+ (is|are) (affected|involved)",
        r"location",
        r"anywhere else",
        r"nowhere else",
        r"elsewhere",
        r"(any|are) (of )?(your |his |her |the )?other (nails?|teeth|fingers?|toes?|places?|areas?|parts?|bits?)",
        r"(cross|go|spread|extend)\w* (over )?(on)?to the (other|right|left|opposite) side",
        r"cross\w* (over )?the (middle|midline)",
    ),
    "character": (
        r"look\w* like",
        r"describe(?= (for me )?(the|it|them|these|those|this|that|how (it|they)|what (it|they) looks?)\b)",  # not "describe your routine"
        r"colou?r",
        r"shape",
        r"feel\w* like",
        r"itch\w*",
        r"pain(?!t)\w*",  # not "wart paint"
        r"what (do |did |can |could |are )?you (are )?see(ing)?",  # "When you look from close, what you are seeing?"
        r"(brush|rub)\w* (against|on) (it|that|the|your)",  # "Suppose your clothes brush against that skin"
        r"(sensitive|tender) to (touch|clothes|clothing)",
        # "the nails themselves don't hurt you?" (pain, not an injury: "hurt your nail")
        r"(it|they|that|this|themselves|itself) ((does|do|did)(n't| not)? )?(hurt|hurts|hurting)\b(?! (your|his|her|my|the) )",
        r"(does|do|did)(n't| not)? (it|they|that|this) hurt\b(?! (your|his|her|my|the) )",
    ),
    "triggers": (
        r"trigger\w*",
        r"make\w* (it|them) (worse|better|flare)",
        r"making (it|them|the \w+|\w+) (worse|flare)",  # "Something is making the rash worse?"
        r"brings? (it|them|\w+ \w+) on",
        r"brings? (it|them|these|this|they) out",  # "anything you notice that brings it out?"
        r"sets? (it|them) off",  # "Anything that sets it aff?" (Scottish "aff" is read as "off")
        r"sets? off (the|your|his|her) \w+",  # "anything set off the redness?"
        r"(good|bad) (spells|days) and (good|bad) (spells|days)",
        r"flare\w*",
        r"aggravat\w*|exacerbat\w*|alleviat\w*",  # "any factors which aggravate the symptoms?"
        r"away from work|time off work|days off|on holiday",  # "any change during periods away from work?"
        r"sets? (your|his|her|the) \w+ off",  # "anything that sets your face off flushing"
        r"after (eating|washing)",
        r"sun",
        # a new product the skin met ("have you switched your shaving foam or aftershave?")
        r"(switch\w*|chang\w*|new|different) (\w+ ){0,3}(soaps?|shampoos?|shaving|aftershave|toiletries|"
        r"washing (powder|liquid)|detergents?|cosmetics|make-?up|moisturi[sz]ers?|shower gels?|perfumes?)",
    ),
    "medications": (
        r"medic(?!al)\w*",
        r"painkillers?|pain relief",
        r"meds",
        r"drugs?",
        r"pills?",
        r"tablets?",
        r"creams?",
        r"ointments?",
        r"prescri\w*",
        r"tried",
        r"try (anything|something)(?! new)",  # "You try anything on it yet?"
        # a pharmacist's "Are you on anything from the doctor?"
        r"(are|is) (you|he|she|they) on anything|anything (from|prescribed by) (the|your|his|her) (doctor|gp|hospital)",
        r"taking(?! me through)",
        r"taken",
        r"take (any|anything|something|regular)",
        r"using (any|anything)",
        r"appl(y|ied|ying) (any|anything|something)",  # "Have you applied anything to the lesions?"
        r"put (some |any )?(ice|frozen peas|a cold (pack|compress)) on",  # "You put ice on it at all since last night?"
        r"(using|applying|putting|use|used|apply|applied) (on|for) (it|them|the|this|these|that|those|his|her|your)",
        r"putting(?! (the |on )?(weight|pounds|kilos))",  # "is he putting the weight on?" asks about growth
        r"put on(?! (weight|pounds|kilos))",
        r"treat(s|ed|ing)?(?! (you|him|her|them)\b(?! (for|with)\b))",  # not "how it's been treating you"
        r"treatments?(?! you('d| would)? (have in mind|like|want|prefer|hop\w*|expect\w*))",  # an expectation
        r"put (anything|something)",
        r"used? (anything|something)",
        r"(are|you're|is|he's|she's) (not )?on anything",  # "The questionnaire says you're not on anything"
        r"over the counter",
        r"given (her|him|them|you)? ?anything",
        r"giv\w* (her|him|them|you) for",
        r"anything for (it|the \w+)",
        r"(giv|tak|us|tr)\w* ((him|her|them|you) )?(something|anything) for",  # "You are giving him something for the pain?"
        r"(used|put|tried|applied) on (it|them|the \w+)",
        r"(had|given|tried|used|taken) (so far|for (it|this|that|the \w+))",
        r"inhalers?",
        r"antibiotics?",
        r"antihistamines?|steroids?|antivirals?|antifungals?|antiseptics?|hydrocortisone|emollients?",
        r"codeine|co-?codamol|dihydrocodeine|tramadol|morphine|oxycodone|opioids?|opiates?|wart (paints?|treatments?)",
        r"dabb(ed|ing) on",
        r"had a go with",
        # "Have you done anything yourself at home to try and settle it?": a remedy tried
        r"(done|do|doing) anything( yourself)?( at home)? (to|for) (try (and|to) )?(settle|ease|calm|soothe|help|treat|sort)",
    ),
    "allergies": (
        r"allergic",
        r"allergies",
        r"allergy to",
        r"any allerg\w*",
        r"(drug|medicine|food) allerg\w*",  # "Any drug allergy is there?"
        r"react\w* to",
        r"disagree\w* with",
        # West African English: "does any drug react with him?", "any drug that does not agree with you?"
        r"react\w* with (me|him|her|you|them)",
        r"(not|n't) agree with (me|him|her|you|them)\b",
        r"side[- ]effects?",
        r"react\w* badly",
        r"(nasty|bad|allergic|funny|strange) reactions?",
        # in a child's words: "any medicine that makes you go funny or spotty?", "makes your skin go cross and grumpy"
        r"(medicines?|drugs?|tablets?|antibiotics?|foods?|creams?) (that|which) (makes?|made) (you|him|her|them|your skin)"
        r" (go |come out |feel |come up )?(all )?(funny|spotty|poorly|sick|itchy|rashy|blotchy|puffy|swollen|cross)",
        r"sensitiv\w* to(?! (the )?(cold|hot|heat|sweet|sweets|light|bright light|touch|pressure|sun|sunlight|chewing|biting)\b)",
        r"intoleran\w*",
        r"give (you|him|her|them) a reaction",  # "is there any medicine that would give you a reaction?"
        r"(one|any|medicines?|drugs?|antibiotics?) (you|he|she|they)'?d (have|need) to avoid",
    ),
    "past_history": (
        r"(had|get|got|happened) (this|it|that|anything like (this|it|that)|something like (this|it)) before",
        r"(your|his|her) health (over the years|in the past|history|generally|in general|so far|up to now)",
        r"when (you|he|she) (was|were) (a )?(child|kid|little|small|young)",
        r"before now",
        r"first time",
        r"like (this|these|that|it) before",
        r"before,? (you|he|she|they) (had|have|has|got|get|ever)",  # "Before, you had something like this?"
        r"(had|get|got|have|has) (\w+ ){1,5}before",
        r"never had",
        r"(trouble|problems?) with \w+ before",
        r"(?<!since our )(?<!since the )(?<!since your )previous\w*",  # "since our previous consultation" asks the course
        r"in the past(?! (few|couple|\d+|two|three|four|several|week|month|day|year|fortnight)\b)",  # not a time frame
        r"fit and well",
        r"always (been|had)",
        r"diabet\w*",
        r"(sugar|glucose|blood sugar) control",  # "How's the sugar control been going?" asks about the diabetes
        r"asthma\w*",
        r"thyroid",
        r"blood pressure",
        r"heart (problems?|conditions?|disease)",
        r"epilep\w*",
        r"(generally|normally|usually) (healthy|well)",
        r"health[- ]wise",
        r"ever (had|been)",
        r"medical (history|conditions?|problems?)",
        r"chronic (diseases?|illness\w*|conditions?|problems?)",  # "Any chronic diseases with him?"
        r"health (problems?|conditions?|issues?|stuff|things|troubles?)",
        r"conditions?",
        r"(?<!this )(?<!the )(?<!current )(?<!present )(?<!similar )(?<!same )illness\w*",  # "the course of this illness" is the story
        r"surger\w*",
        r"operations?",
        r"as a (child|kid|baby)",
        r"dentist",
        r"dental (check\w*|visits?|history)",
        r"childhood",
        r"vaccin\w*",
        r"immuni[sz]\w*",
        r"jabs",
        r"(ongoing|long[- ]standing|long[- ]term|chronic) (\w+ )?(problems?|issues?|troubles?)",
    ),
    "family": (
        r"family",
        # "Has anyone had any health conditions that you know of?" (after "May I ask about your family?")
        r"(has|have|did) (anyone|anybody) (ever )?(had|suffered)( from| with)? (any )?(health |medical |skin )?"
        r"(conditions?|problems?|illness\w*|diseases?)",
        r"parents?",
        r"mother",
        r"father",
        r"siblings?",
        r"brothers?",
        r"sisters?",
        r"relatives?",
        r"relations",  # "Any of your relations with nails gone the same way?"
        r"mum",
        r"mom",
        r"dad",
        r"runs? in",
        r"(anyone|anybody|nobody|no one|someone|somebody) (else )?(at home|in the (house|household))",
    ),
    "social": (
        r"(nobody|no one|anybody|anyone) else\b(\s\S+){0,5}\s(with|got|has|have|had)\b",  # "nobody else in your crowd with it?"
        r"(anyone|anybody|someone|somebody) else (also )?(has|have|had|got|gets?|with)\b",  # "anybody else also have"
        r"(on|using|use|uses|any|what|which|take|taking) (\w+ )?(contracepti\w*|birth control)",
        r"anyone (else )?(around|at home|in the (house|family|household)|you know|at (school|work|nursery))",
        # "Anybody in your flat been poorly with the same?"
        r"(anyone|anybody|someone|somebody|nobody|no one) (else )?(in|at|from) (your|the|his|her) "
        r"(\w+ )?(flat|halls?|dorm|class|office|team|house|home|school|work|nursery|ward|unit|year|club|gym|squad)\b",
        r"(anybody|nobody|no one) (else )?(around|at home|in the (house|household))",
        r"(other people|others|everyone|everybody) (else )?(at home|in the (house|home|household))",
        r"(been|was|were|be) (around|near|with|in contact with|mixing with) (anyone|anybody|someone|somebody|people)",
        # "anyone he's been close to", "anyone she's been in contact with"
        r"(anyone|anybody|someone|somebody)( \S+){0,3} (close to|kissed|kissing|in contact with|mixing with)",
        r"(anyone|anybody|someone|somebody) (she|he|you|they) (met|meets|knows?|saw|sees|plays? with)",
        r"(around|near|in contact with|mix\w* with|looking after|look after) (any )?(young |small |little |new )?"
        r"(bab(y|ies)|children|kids|newborns?|pregnant|elderly|grandchild\w*)",
        # not "contact lenses", "I don't wear contacts", "in contact with chemical products"
        r"(?<!wear )(?<!wearing )(?<!wore )contacts?(?! lens)(?! in\b)(?! with (chemical|product|substance|oil|tar|solvent|"
        r"detergent|dye|metal|nickel|latex|cement|paint|plant|soil|resin|glue)\w*)",
        r"contact lens\w*",
        r"household",
        r"smok\w*",
        r"cigarettes?",
        r"tobacco",
        r"vap\w*",
        r"alcohol",
        r"(do|does|how much do) (you|he|she|they) drink",
        r"drinks? (alcohol|a week|much)",
        r"work\w*(?! out\b)",  # not "to help me work out the cause"
        r"jobs?",
        r"occupation",
        r"live",
        r"lives",
        r"living(?! with (this|it|that|these|them|the \w+))",  # "what's it like living with this?" is the story
        r"home",
        r"pets?",
        r"animals?",
        r"dogs?|cats?|pupp(y|ies)|kittens?|furry (friends?|animals?)",  # "cuddling a dog or a cat at the party?"
        r"(been|go|gone|went|going|getting|got) away",  # "Have ye been away anywhere hot lately?"
        r"saunas?|hot tubs?|jacuzzis?|steam rooms?|changing rooms?|communal showers?|barefoot",
        r"jiu[- ]?jitsu|wrestl\w*|grappl\w*|judo|martial arts?|mma",
        r"pedicures?|manicures?|nail (salons?|bars?)",
        r"travel\w*",
        r"abroad",
        r"out[- ]of[- ]town|outings?|(go|gone|went|been) (anywhere|somewhere)(?! else)",
        r"holiday",
        r"sports?",
        r"swim\w*",
        r"gym",
        r"school",
        r"nursery",
        r"hobb\w*",
        r"diet",
        r"dentist",
        r"dental",
        r"check-?ups?",
        r"for a living",
        r"hygienist",
        r"sun ?(exposure|bath\w*|beds?|screen|cream|protection)",
        r"tanning",
        r"time (in|out in) the sun",
        r"(oral|dental|mouth) hygiene",
        r"teeth[- ]cleaning",
        r"(look\w* after|clean\w*|care for|caring for) (your|his|her|their|the) teeth",
        # habits ("He is biting his nails, yes?")
        r"bit(e|es|ing) (at )?(your|his|her|their|the) nails|nail[- ]?bit\w*|thumb[- ]?suck\w*|suck\w* (his|her|your) thumbs?",
        r"grind\w* (your |his |her |their |the )?teeth|teeth[- ]grind\w*|bruxism",  # "do you grind your teeth at night?"
    ),
    "systems": (
        r"mood\w*|spirits|(get|gets|getting|got) (you|him|her|them) down|depress\w*|low in (yourself|mood|spirits)",
        r"fever\w*",
        r"temperature",
        r"unwell",
        r"weight",
        r"tired\w*",
        r"appetite",
        r"feeding",
        r"(her|his|your|their|my) (usual|normal) self",
        r"eating and drinking",
        r"other symptoms?",
        r"anything else",
        r"elsewhere in",
        r"in yourself",
        r"(otherwise|generally) (well|ok|okay|alright|all right|fine|healthy)",
    ),
    "ideas": (
        r"what (do|did) you think",
        r"what (had|have|were) you (been )?(thought|thinking)",
        r"(might|could|may) be behind (it|this|these|them|that)",
        r"your own (feeling|view|thoughts?|idea|sense|(working )?diagnosis)",
        r"(your|the) gut (tell\w*|say\w*|feeling)|(got|have|had) (a|any) theor(y|ies)|your (own )?theor(y|ies)",  # "what's your gut tellin' you?"
        r"what (did|do) you (reckon|wonder|suspect)",
        r"what (do )?you believe|you believe (it|this|these|they|that|to be|may|might|could)",  # the clinic form's words
        r"(?<!\bi )(think|thought|suspect\w*|reckon) (it|these|this|they|that)( \w+)? (might|could|may|was|were)",
        r"(you|he|she)('ve| have| has)? (ever )?wonder(ed|ing) (whether|if)",  # "You'll have wondered whether ..."
        r"(is|was|are|were) behind (it|this|these|them|that)",
        r"(thinking|think|thought|reckon\w*|wonder\w*) (\w+ ){0,3}(might|could|may) have (set|caused|started|triggered|brought)",
        r"(suspected|considered|thought|believed) (\w+ ){0,3}(as|to be) (the )?(cause|reason)",  # "Was anything suspected at home as the cause?"
        r"explanation (for (it|this|that) )?(has|have|had) been (considered|thought|suspected)",
        r"gut (feeling|instinct|sense)",
        r"what('s| is) caus\w*",
        # "any idea what your levels were?", "any idea how deep it goes?" ask a value; "any idea when?" a time
        r"any ideas?(?! (what|which|how \w+) (your|his|her|their)\b)(?! how (deep|big|wide|long|far|close|many|much|"
        r"high|thick|large|often|bad)\b)(?! (when|whether|if)\b)",
        r"your (own )?(idea|theory|thought)s?",
        r"(a|any|your) notion",  # "If you've a notion of what's brought the rash on"
        r"what (might|could) (be )?caus\w*",
        r"why do you think",
        r"(?<!\bi )reckon(?! (anything|anyone|anybody|any|there'?s|it'?s? (gets?|is) (worse|better)))",  # "Reckon anything makes it worse?"
        r"thoughts? (yourself )?(on|about|as to)",
        r"what you think",
        r"what (this|it) (might|could) be",
        r"theor(y|ies)",
        r"hunch",
        r"(what'?s|what is) (your|his|her) (best )?guess(?! (at|about|on|for|of) (how|when|what time))",
        r"your own explanation",
        r"your (own )?take on",
        r"thinking (it|they|this|these) (might|could|may) be",
        r"what do you tell yourself",
        r"sense (yourself )?of (why|what)",
        r"any idea (why|what)(?! (your|his|her|their)\b)",
        r"where (this|it|these|they) (has |is |are )?(come|coming|comes) from",
        r"from where (this|it|these|they) (is |are )?(come|coming|comes)",
        r"(from )?where (he|she|you|they) (has |have |had |might have |could have )?(got|caught|picked)",
        r"in your opinion",
        r"your (own )?understanding",
        r"why (this|it) (has |might have |could have )?happen\w*",
        r"what (do |did )?you make of",
        r"wonder\w* (what )?(it|this|they) (might|could|may) be",
        r"(think|reckon|believe|suspect|suppose)s?\b[^?.]{0,30}\bset it off",
        r"what set it off",
        r"your (own )?thinking(?! (is|'s) (clear|ok|okay|normal|fine|muddled|foggy))",
        r"(thoughts?|ideas?|theor(y|ies)|views?|take) of your own",
        r"what'?s behind (it|this|these|them)",
        r"put (it|this|that|them) down to",
        r"(formed|have|got|had) (any|an) impression",
        r"underlying cause",
        r"what (would|do) you (say|think) (has |have |had )?(caused|brought|set off|started)",
        r"(about|behind|as to) the cause",  # "what's been going through your mind about the cause?"
        r"where (do|did|would) you think (he|she|they|you|it)('s|'ve| has| have| had)? (caught|got|picked)",
        r"you think what",  # "You think what caused this one?"
        r"what (do|did) you (feel|think) (is|was|are|were|has been) (causing|bringing|behind|making|giving)",
        r"what (do|did) you and [\w' -]{1,30}? think",
        r"what (does|did) (he|she|they) think",  # through an interpreter: "What does she think is pushing them?"
        r"what (he|she|they) thinks? (is|has|was|had|might|could|caused|brought|set)",  # "ask him what he thinks has ..."
        r"you think\b[^?.]{0,30}\b(come|came|coming) from what",  # "You yourself think this one come from what?"  # "What do you and your grown-up think made the bumps come?"
    ),
    "concerns": (
        r"worr\w*",
        r"(most )?stressed (out )?(about|over)",  # "what's the thing you're most stressed about with this?"
        # "any concerns about his eyesight?" asks about the eyesight, not the parent's worries
        r"concern\w*(?! (about|with) (his|her|their|your|the) (eyesight|vision|sight|hearing|growth|development|weight))",
        r"anxious",
        r"afraid",
        r"scared",
        r"fear\w*",
        r"on your mind",
        r"(going|goes|go|went) through your (mind|head)",
        r"bothering you (most|the most|beyond)",
        r"(bugging|troubling) you (most|the most)",
        r"(what|anything)( \w+){0,5} (that'?s|that is|is|'s) (bugging|troubling) you",
        r"upsetting you",
        r"(troubling|worrying) your (mind|heart|spirit)",
        r"(anything|something) (in particular )?(that'?s|that is) (bothering|troubling|bugging) you about",
        r"worst[- ]case",
        r"weighing on (you|your mind)",
        r"nagging (at )?you",
        r"(playing|preying) on your mind",
        r"turning over in your (mind|head)",
        r"frighten\w*",
        r"fret\w*",
        # not "the sort of thing that keeps you up" or "does it keep you up at night?" (an itch that wakes you)
        r"(?<!thing that )(?<!sort that )(?<!\bit )(?<!\bthey )(?<!itch )(?<!pain )keeps? you (up|awake)",
        r"back of your mind",
        r"dread\w*",
        r"nervous about",
    ),
    "expectations": (
        r"hop\w* (for|to|we|that|I|you (can|could|might|will))\b",
        # not "nobody expecting", "than you'd expect", "places you wouldn't expect"
        r"(?<!than you'd )(?<!than you would )(?<!n't )(?<!not )(?<!might )expect(ed|ations?|s)?",
        r"(what|were|are) you expecting",
        r"you('re| are) expecting",
        r"like (me )?to do",
        r"like (me|us) to (be able to )?(do|help|sort|fix|achieve)",  # "What would you most like us to do for it?"
        r"want(ed)? (me |us )?to do",
        r"(you|he|she)('re| are| is|'s| were| was)? (be )?want(ing|s)? to (know|find out|hear)",  # "You'll be wanting to know"
        r"what would (make|be) (the )?(biggest|most|a real|any|a) (\w+ )?difference",
        r"how (else )?can I help (you )?(with (that|this|it)|further)",
        r"looking for",
        r"what('s| is)? ([\w ]{0,25} )?(are you|you'?re) after",  # "What's the main thing you're after from today?"
        r"what would you like",
        r"hoped",
        r"hoping",
        r"walk out (of here )?with",
        r"what would (sorted|success|a good (outcome|result)|better) look like",
        r"went perfectly",
        r"get out of (today|this)",
        r"come out of (today|this|the (visit|appointment|consultation))",
        r"like to happen",
        r"(what are|what're|what is|what's) (you|he|she|they) after",
        r"want (from|out of) (today|this|me|the appointment|the visit)",
        r"(had|have) in mind",
        r"what would you hope",
        r"what would (help|be (most )?helpful (to|for)) (you|him|her|them) (the )?most",  # "What would help you most?"
        r"one thing (for you|I could do|we could do)",  # "If I could do one thing for you today, ..."
    ),
}

# Social sub-topics: a cue names one, and only a fact that mentions the same one answers it
# ("Have you travelled?" is not answered by the job and smoking fact).
SOCIAL_TOPICS: dict[str, tuple[str, ...]] = {
    "travel": (
        r"travel\w*",
        r"abroad",
        r"holidays?",
        r"trips?",
        r"flew",
        r"flights?",
        r"overseas",
        r"away",
        r"out[- ]of[- ]town",
        r"outings?",
        r"camp(ing|ed|site)",
        r"hik(e|es|ing|ed)",
        r"(go|gone|went|been) (anywhere|somewhere)(?! else)",  # "Before this came out, did you go anywhere?"
    ),
    "smoking": (r"smok\w*", r"cigarettes?", r"(?<!chewing )(?<!chew )tobacco"),
    "chewing": (r"chew(ing|s)? tobacco", r"snuff", r"paan", r"betel", r"gutka", r"dip"),  # "chewin' tobacco or dip?"
    "vaping": (r"vap(e|es|ed|er|ers|ing)", r"e-?cig\w*"),  # "You're not a vaper?" is not answered by "never smoked"
    "alcohol": (
        r"alcohol",
        r"drinks?\b(?! water)",
        r"(smok\w*|alcohol) and drinking",
        r"drinking (and smok\w*|habits)",
        r"drinking alcohol",
        r"beer",
        r"wine",
        r"units",
        r"pub",
    ),
    "work": (
        r"work\w*(?! out\b)",
        r"jobs?",
        r"occupation",
        r"for a living",
        r"employ\w*",
        r"retired",
        r"office",
        r"shifts?",
    ),
    "pets": (
        r"pets?",
        r"animals?",
        r"dogs?",
        r"pupp(y|ies)",
        r"cats?",
        r"kittens?",
        r"horses?",
        r"pon(y|ies)",
        r"rabbits?",
        r"hamsters?",
        r"guinea pigs?",
        r"livestock",
        r"cattle",
        r"sheep",
    ),
    "contacts": (
        r"anyone",
        r"somebody|someone|anybody",
        r"cousins?|aunt(ie|y)?s?|uncles?|nieces?|nephews?|relatives?",
        r"grand(dad|pa|father|ma|mother|mum|son|daughter|child|children|kids?)",
        r"(dad|mum|mom|father|mother|parents?|wife|husband|partner)",
        r"nursery",
        r"kiss\w*",
        r"nobody",
        r"no one",
        r"son",
        r"daughter",
        r"brother",
        r"sister",
        r"friends?",
        r"colleagues?",
        r"classmates?",
        r"(flat|house|room)[- ]?mates?",
        r"team[- ]?mates?|the lads|one of the (lads|girls|boys|team)",
        r"household",
        r"others?",
        r"everyone",
        # not "contact lenses", "I don't wear contacts", "in contact with chemical products"
        r"(?<!wear )(?<!wearing )(?<!wore )contacts?(?! lens)(?! in\b)(?! with (chemical|product|substance|oil|tar|solvent|"
        r"detergent|dye|metal|nickel|latex|cement|paint|plant|soil|resin|glue)\w*)",
        r"bab(y|ies)",
        r"newborns?",
        r"children",
        r"kids?",
        r"grandchild\w*|grandson|granddaughter",
        r"pregnant",
    ),
    "home": (
        r"live",
        r"lives",
        r"living(?! with (this|it|that|these|them|the \w+))",
        r"home",
        r"house\w*",
        r"flat",
        r"partner",
        r"wife",
        r"husband",
    ),
    "sport": (r"sports?", r"swim\w*", r"gym", r"exercis\w*", r"football", r"rugby", r"runn\w*", r"climb\w*"),
    "dental": (
        r"dentist",
        r"(look\w* after|clean\w*|care for|caring for) (your|his|her|their|the) teeth",
        r"dental",
        r"check-?ups?",
        r"hygienist",
        r"brush\w*",
        r"floss\w*",
        r"hygiene",
        r"teeth[- ]cleaning",
        r"clean\w* (your |his |her |their |the )?teeth",
    ),
    # places and pastimes a question names as specifically as a habit: only a fact that mentions them answers
    "bathing": (
        r"saunas?",
        r"hot tubs?",
        r"jacuzzis?",
        r"steam rooms?",
        r"changing rooms?",
        r"communal showers?",
        r"barefoot",
    ),
    "combat": (r"jiu[- ]?jitsu", r"wrestl\w*", r"grappl\w*", r"judo", r"martial arts?", r"mma"),
    "salon": (r"pedicures?", r"manicures?", r"nail (salons?|bars?)"),
    "sun": (r"sun(?! ?beds?)\w*", r"tann\w*(?! (beds?|salons?|booths?|shops?))", r"outdoors?"),
    "habits": (
        r"bit(e|es|ing|er|ers) (at )?(your|his|her|their|the) nails|nail[- ]?bit\w*|thumb[- ]?suck\w*|"
        r"(bite|bites|biting|pick|picks|picking) or (bite|bites|biting|pick|picks|picking) (at )?(your|his|her|their|the) nails|"
        r"grind\w* (your |his |her |their |the )?teeth|teeth[- ]grind\w*|bruxism|clench\w* (your |his |her |the )?(teeth|jaw)|"
        r"suck\w* (his|her|your|their) thumbs?|dumm(y|ies)|pacifiers?",
    ),
    "sunbeds": (r"sun ?beds?", r"tanning (beds?|salons?|booths?|shops?)", r"solari(um|ums|a)"),
    "lenses": (r"contact lens\w*", r"lens\w*"),
    "contraception": (r"contracepti\w*", r"birth control", r"condoms?"),  # "Are you on any contraception?"
    "school": (r"school", r"nursery", r"daycare", r"childminder", r"class\w*"),
    "diet": (r"diet", r"eat\w*", r"food", r"sugar\w*", r"snack\w*"),
}

# Topics of what people do (not of their relatives' health), and the cues that do ask about family history.
_HABIT_TOPICS = frozenset(
    {"travel", "pets", "smoking", "vaping", "chewing", "alcohol", "work", "sport", "diet", "home"}
)
_FAMILY_HISTORY = (
    r"runs? in",
    r"(mother|father|mum|dad|parents?|siblings?|relatives?) (has|had|have|get|gets)",
    r"(anyone|anybody|someone|somebody) in (the|your|his|her|their) family",
)

# Discourse markers a question may open with ("Right, talk me through...", "Okay so, when did...").
_LEAD = (
    r"^\s*(?:(?:and|also|so|yes|yeah|ok(?:ay)?|right|now|well|alright|great|good|lovely|thanks|thank you|fine|sure|then|hi|hey|hiya|hello|hi there|hi again|hello again|alors|"
    r"g'?day|no worries|cheers|good (?:morning|afternoon|evening)|"
    r"separately|lastly|finally|next|secondly|thirdly|quickly|briefly|(?:but )?first(?:ly)?(?=\s*,)|to (?:start|begin)(?: with)?(?=\s*,)|"
    r"one more thing|another thing|pet|love|my love|my lover|bab|mummy|mum|daddy|dad|auntie|uncle|righto|come|"
    r"additionally|furthermore|moreover|in addition|besides|likewise|similarly|"
    r"mate|hun|darling|sweetheart|poor lamb|ooh|oh|eh|mum|mam|mom|dad|go ahead and|roughly|approximately|about|"
    r"(?:it'?s )?probably nothing(?: to worry about)?,? but|forgive me(?: for asking)?,? but|sorry to ask,? but)\b[,.!:]?\s*)*"
)
_OPEN_RE = re.compile(
    _LEAD
    + r"(please,?\s+)?(tell me(?!\s*,\s*(how (do|does|did|often|many|much|long|far|bad)|when|where|which|who|why|whether|if|do|does|did|are|is|"
    r"have|has|had|can|could|would|will|were|was)\b)(?!\s*,\s*(you|he|she|they)\s+(have|has|had|are|is|was|were|do|does|did|got|feel|feels|get|gets|"
    r"take|takes|use|uses|used|still|ever|never)\b)(?!\s+(something|(one|two|three|a few|a couple of) (things?|questions?))\b)"
    r"|can you (please,? )?(tell|describe|walk|fill)"
    r"|could you (please,? )?(tell|describe|walk|talk|fill)|can you talk|tell me how|tell me when|describe|walk me through|what('s| has| have) been (happening|going on)"
    r"|what('s| has| had)? happen(ed)?( (to|with) (him|her|you|them|it|the (little|wee) \w+|this \w+|(the|your|his|her) \w+))?"
    r"(,? tell me( nah| na| now| then)?)?\s*[?.!]?\s*$|what('s| has)? (brings?|brought) you|how can (i|we) help|what can (i|we) (do for you|help (you )?with)|bring me up to date|what('s| has) happened since|in your own words|talk me through|take me through|fill me in|go on"
    r"|start (wherever|from the (beginning|start)|at the beginning)|from the top|(let'?s|let me) hear it|bring me up to speed|catch me up|update me"
    r"|take me back|what('s| is| has) (it|this|that) been like|what('s| has| is) changed"
    r"|what('s| is) the (trouble|bother|story|matter|problem (you are|you're) (facing|having)|problem (of|with) (your|the) \w+)|what('s| has) been up( with you)?\b"
    r"|what('s| is) (the (problem|trouble)|wrong)( today| with (you|him|her|them))?,?( tell me)?\s*[?.!]?\s*$"  # "What is wrong today?"
    r"|what('s| is| has been) (been )?happening( with (him|her|you|them|it))?( today| now)?\s*[?.!]?\s*$"
    r"|what (has )?brought about (today'?s|this|the) (appointment|visit|consultation)"
    r"|how (has|have) (this|the|it|things) ?(\w+ )?been (developing|progressing|going|evolving)"
    r"|(it|this|that|everything) (can|could|may) be (described|told|explained) from the (beginning|start)"
    r"|how('ve| have) (you|things) been (doing |getting on |keeping |going )?since"
    r"|how('re| are) (you|things) (doing|getting on|keeping|going) since"
    r"|how('ve| have| has|'s) (the|your|his|her) [\w' ]{1,20}? been since (the|your|his|her|we|you|i|last)\b"  # a follow-up
    # "Would you like to tell me what's been troubling you with your mouth?"
    r"|(would|do) you (like|want|wish) to (tell|talk|describe|walk|take) (me|us)\b(?! (about|whether|if|which|where|when"
    r"|how (long|many|much|often|bad)) )"
    r"|what('s| has| is) been (troubling|bothering) (you|him|her|them)"
    r"|how (the|your|his|her) [\w' ]{1,20}? been (\w+ ){0,3}since (the|your|his|her|we|you|i|last)\b"
    r"|how(('re| are) you| is (he|she|the (boy|girl|baby|child|little one))| is your (boy|girl|son|daughter|child|baby|little one)"
    r"|('s| is) (the |your |our )?(wee|little) (man|one|fella|lad|lass|boy|girl))"
    r"( (doing|feeling|getting on|keeping))?( today| now| these days)?\s*[?.!]?\s*$"  # a greeting invites the story
    r"|how( have| has| are| is| 's|'ve) (things|it|everything|this|that)( all)? (been|going|now)|how (are|have) things"
    r"|how('s| is| has) (it|everything|this) (been|going)|what('s| is) (going on|happening|up)|put me in the picture"
    r"|how (have|are) (you|things) (been )?getting on|how('s| is| has| have| are) [\w' ]{1,25}? (been )?(going|doing|getting on) since\b|what (have|has) (you|he|she|they) (been )?notic\w*)",
    re.IGNORECASE,
)
# The same invitations after a preamble ("Since I can't examine it, could you describe, in your own words, ...").
_OPEN_ANYWHERE = re.compile(
    r"\b(in your own words|(walk|walking|talk|talking|take|taking) me through|tell me (all |a (bit|little) )?about|describe what|"
    r"since (your|our|the|my) (last|previous) (appointment|visit|review|consultation),? how|what('s| has) changed|"
    r"explain (to )?me,? what|"
    r"recount\w*|from the top|explain (to )?me (everything|all) about|"
    r"bring me up to (speed|date)|fill me in|take me back to|start wherever|from the beginning|put me in the picture|"
    r"tell me (a (bit|little) )?more about|explain (to )?me (a (bit|little) )?more|remind me (of )?(the|what|how)|"
    r"hear (a (bit|little) )?more about|(let'?s|let me) hear (all )?about|explain (to )?me what happened|from the start|"
    r"(mind|like to) (telling|tell) me (what happened|what'?s been (happening|going on)|about)|"
    r"what('s| has) been (happening|going on)|"
    r"tell me how (this|it|they|these|that|the \w+|all this|it all) (came on|come on|started|began|all (started|began))|"
    r"(tell|give) me (the (whole |full )?(story|history)|everything)|"
    # "Please, you tell me whole story of this rash", "the whole deal ..., start to finish", "in your own time, how all
    # this came about"
    r"(tell|give) me (the |your )?(whole|full) (story|history|deal|thing)|start to finish|in your own time|"
    r"how (all )?(this|it|these|that|the \w+) (all )?came about|from the (very )?first day|"
    r"tell me how (things|it|everything)( have| has|'s) (been|gone)|"
    # "So compared with when you last saw us, how has it been?"
    r"(compared (with|to)|since) (when you last|the last time|last time|your last)\b[^?]{0,40}\bhow (has|have|is|are) "
    r"(it|things|they|the \w+)( been)?\b|"
    r"what (has|have) (he|she|you|they) been going through|"
    r"(please )?describe the (problem|trouble)|reason for (the |your |today'?s )?(consultation|visit|appointment|call|attending|review)|"
    r"progress since (the |your )?last|"  # a template's field: "Reason for consultation - please describe the problem: ____"
    r"(what happened|(has|have|got) what problem)(?=\s*[?.!]?\s*$))\b",
    re.IGNORECASE,
)
# Closed (yes/no) questions start with an auxiliary verb or "any".
# ("Have a look in the mirror" is an instruction, not a question.)
_CLOSED_RE = re.compile(
    _LEAD + r"(do|does|did|have(?! a (look|think|feel|go|check)\b)|has|had|is|are|was|were|can|could|would|will|"
    r"any|anything|anyone|anybody|ever|been|noticed|seen any|got any|allergic|on any|taking any|using any|tried any)\b",
    re.IGNORECASE,
)
_WH_RE = re.compile(_LEAD + r"(when|where|whereabouts|what|what's|how|which|who|why|whose)\b", re.I)
# An indirect yes/no question ("I don't suppose you've noticed ...?", "Would I be right in thinking ...?").
_INDIRECT_CLOSED = re.compile(
    _LEAD + r"(i don'?t suppose|would i be right|am i right|you wouldn'?t (happen to|by any chance))\b"
    r"(?!.*\b(what|how|when|where|whereabouts|which|who|why)\b)",
    re.IGNORECASE,
)
# A task for the patient to do, asking nothing yet ("Can you have a look in the mirror for me", "Could you hold
# the phone up close to the toe?"): what they are to report follows it ("... and tell me how big it is").
_TASK_RE = re.compile(
    _LEAD
    + r"(please,?\s+)?(?:(?:can|could|would|will) you|if you could|i'?d like you to)\s+(?:(?:please|just|quickly)\s+)*"
    r"(have a (quick |proper |close |good )?look|look (in|at|closely)|hold|press|push|ask|get|grab|fetch|shine|count|"
    r"measure|pull|point|show|send|take a (photo|picture|pic|snap)|snap|pop|lift|put|bring(?! me up to)|compare|tilt|angle|switch|"
    r"roll|pinch|stretch|run your finger)\b",
    re.IGNORECASE,
)
# The doctor's own proposal to examine ("Can I have a look at it?", "Shall we take a look?"): nothing to answer.
_PROPOSAL_RE = re.compile(
    _LEAD + r"(?:(?:can|could|may|might) i|shall (?:we|i)|(?:would you mind|is it ok(?:ay)?|do you mind) if i)\s+"
    r"(?:just\s+|quickly\s+)*(?:have|take) a (?:quick |proper |close |good )?(?:look|peek|feel|listen)\b",
    re.IGNORECASE,
)
_TASK_ASKS = re.compile(r"\b(if|whether|what|how|which|where|whereabouts|when|who|why|does|do|is|are|any)\b", re.I)
# "Tell me how big it is", "tell me which nails": one thing asked, not the story.
_TARGETED_TELL = re.compile(
    _LEAD + r"(please,?\s+)?((can|could) you\s+)?(just\s+)?tell me (roughly |exactly |approximately |just )?"
    r"(how (big|many|much|often|far|large|wide|bad|severe)|which|where|whereabouts|what (colou?r|size|shape)"
    r"|how (his|her|your|their|the|that|this|those|these) [\w' ]{1,30}? (is|are|feels?|looks?|seems?)\b"
    r"(?! (doing|going|getting|coming)\b)"  # "tell me how the foot is doing after the freezing" invites the story
    r"|how (it|they) (actually |really )?(feels?|looks?)\b"
    r"|what (your|his|her|their|the) (?!(trouble|problem|matter|bother|story|issue)\b)\w+"  # "Tell me what your CD4 count was"
    r"|what (you|he|she|they) (have |has |'ve |had )?(been )?(applied|applying|used|using|tried|trying|put|putting|taken|taking)\b"
    # "Tell me about the itching, how bad is it getting?": the question after the comma is what is asked
    r"|about (the|your|his|her|their|that|this) (?!(trouble|problem|matter|bother|story|issue|skin|rash)\b)[\w' ]{1,25}?,\s*"
    r"(how|when|where|which|is|does|do|has|have|did)\b(?! (has|have|'s) (it|things|this|that) been\b))\b",
    re.IGNORECASE,
)
# "Tell me whether you've had trouble with hair dye", "Please indicate whether ...": a yes/no question.
_TELL_WHETHER = re.compile(
    _LEAD + r"(please,?\s+)?((can|could|would) you\s+)?(just\s+)?(tell me|let me know|indicate|state|confirm|say)"
    r"( for me)? (whether|if)\b",
    re.IGNORECASE,
)
# A clause that goes on from the question before it ("... any medicines. Also whether you're allergic to any.").
_WHETHER_CLAUSE = re.compile(
    _LEAD + r"whether (you|he|she|they|there|it|your|his|her|their|any|anyone|anything)\b", re.IGNORECASE
)
# "Describe the spots for me", "Describe your routine for your teeth": how one thing is, not the whole story
# ("Describe the rash and how it has changed", "describe how matters have progressed" still invite the story).
# A time or condition put first, then a yes/no question ("When it happened, did you bang your head?").
_FRONTED_YES_NO = re.compile(
    r"^\s*(when|while|whilst|after|before|since|once|as)\b(?!\s+(did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b)"
    r"[^,?]{0,60},\s*(do|does|did|have|has|had|is|are|was|were|can|"
    r"could|any|anything|anyone)\b"
    # "When you walk a couple blocks, you get cramping in the calves?": a statement asked as a yes/no question
    r"|^\s*(when|whenever|after|once|if)\b[^,?]{0,60},\s*(you|he|she|they|it)\b(?![^?]*\b(what|how|where|which|who|why)\b)"
    r"[^?]*\?\s*$",
    re.IGNORECASE,
)
# A description asked for, then narrowed to a yes/no ("Describe your eyes - any redness, or are they fine?").
_DESCRIBE_NARROWED = re.compile(
    r"\s[-–—]\s*(any|is|are|has|have|do|does)\b|\bor (are|is) (they|it|he|she) (fine|ok|okay|normal|alright|all right)\b",
    re.IGNORECASE,
)
_DESCRIBE_THING = re.compile(
    _LEAD + r"(please,?\s+)?((can|could|would) you\s+)?(just\s+)?describe (for me |to me )?"
    r"((the|his|her|your|their|those|these|that|this) (?!changes?\b|problem|complaint|condition|story|history|nature)"
    r"(?![^.?!]*\b(how|since|from|changed?|over time|progress\w*|so far)\b)[\w' ,-]+"
    r"|what (it|they|the \w+|those|these) looks? like|what (you|he|she|they) (do|use|eat|put)\b"
    r"|how (the|your|his|her|their) [\w' ]{1,30}? (is|are|feels?|looks?)( right now| now| at the moment)?\s*[.?!]?\s*$)",
    re.IGNORECASE,
)
# A check stated as a summary ("So no swelling of your face or gums.", "So nothing went into the eye and you
# haven't knocked it.", "And your breathing's fine, no swelling of the tongue."): the doctor presumes a
# negative and waits for the patient to confirm it. Not advice or reassurance ("So no need to worry").
_SUMMARY_CHECK = re.compile(
    r"^\s*(?:(?:and|so|ok(?:ay)?|right)\b[,.]?\s*)+"
    r"(?![^?]*\b(need|needs|worry|worries|worried|worrying|should|must|will|going to|let'?s|i'?ll|we'?ll|you'?ll|avoid|keep|"
    r"use|apply|try|stop|book|come|call|ring|see|treat\w*|serious|harmless|dangerous|sinister|contagious|infectious|"
    r"catching|cancer|problem|point|reason|rush|harm|wrong|surprise|hesitate|forget|panic)\b)"
    r"((no|none|nothing|not|never|nowhere)\b"
    r"|(the|your|his|her|their) [\w' ]{1,30}?('s| is| are|'re) (fine|ok|okay|normal|alright)\b"
    r"|(the|your|his|her|their) [\w' ]{1,30}? (aren't|isn't|hasn't|haven't|wasn't|weren't|doesn't|don't)\b[^?]*,\s*(no|nothing|none)\b"
    # "And you're not on any regular tablets.": a fact checked, not explained ("So you've mostly been in your glasses" is
    # what the question after it starts from)
    r"|(?<=and )(you|he|she|they|nobody|no ?one|there)\b(?![^?]*\b(what we call|called|a (type|kind|form|sort) of|caused by|due to|"
    r"because|means|infection|condition|reaction|diagnos\w*|something|bother\w*|worr\w*|concern\w*)\b))"
    r"[^?]*[.!]?\s*$",
    re.IGNORECASE,
)
# Leads that ask ("I was wondering ...", "can I just check ...", "I'd be interested to know ...").
_ASKING_LEADS = (
    r"i('d| would) (also )?like to (know|ask|hear|understand|find out|get a sense of)|i need to (ask|know|check)|"
    r"i (have|want|need) to ask|i ask everyone|i need (a (list|rundown|run-?down)|details?) of|can i ask|could i ask|may i ask|i was (just )?wondering|i wonder(ed)?|"
    r"i'?m (just )?wondering|(i was )?just wondering|i don'?t suppose|would i be right (in thinking|to think)|"
    r"am i right (in thinking|to think)|you wouldn'?t (happen to|by any chance)|i was (just )?curious|"
    r"(would|will|is|'s) it be (ok|okay|alright|all right|fine) (if i|to) (ask\w*|check\w*|talk\w*)|"
    r"(is|'s) it (ok|okay|alright|all right) (if i|to) (ask|check|talk)|(do|would) you mind if i (ask\w*|check\w*)|"
    r"i'?d be (really |very |quite )?(interested|curious|keen) to (know|hear|understand)|"
    r"i'?m (really |very |quite )?(interested|curious|keen) to (know|hear)|i'?d love to (know|hear)|"
    r"(can|could|may) i (just )?(check|confirm)|it('d| would) (really |also )?help (me )?to (know|hear)|"
    r"it('d| would) be (really )?(helpful|useful|good) to (know|hear)"
)
# Requests that ask as much as a question does ("Run me through your medicines", "let me know if ...").
_FORM_REQUESTS = r"indicate|specify|state|outline|rate|detail|clarify|"  # "Please indicate which nails ..."
_REQUEST_RE = re.compile(
    _LEAD
    + r"(please )?(remind me|let me know|run (me )?through|go through|take me through|list|give me|"
    + _FORM_REQUESTS
    + _ASKING_LEADS
    + r")\b",
    re.IGNORECASE,
)
# An asking lead after a preamble ("It's something I ask everybody, but can I just check on ...").
_REQUEST_INSIDE = re.compile(
    r"[,;:]\s*(?:but|so|and)?\s*("
    + _ASKING_LEADS
    + r"|(?:please )?(?:tell|talk|walk|take|run) me (?:how|what|when|through))\b",
    re.IGNORECASE,
)
_TAG_QUESTION_RE = re.compile(
    r",\s*(isn't|is|doesn't|does|didn't|did|haven't|have|hasn't|has|aren't|are)\s+(it|you|he|she|there|they)\s*\?\s*$",
    re.IGNORECASE,
)
# Measurements a patient at home would not know unless the case says so.
_MEASURE_RE = re.compile(
    r"\b(do you know (what|which|your|his|her|their|the) \w+|(know|idea) how (deep|wide|thick|close|far)\b|\w+phils? counts?|cbc|fbc|full blood count|complete blood count|(bug|germ|organism|bacteria)\w*\b[^?.]{0,30}\b(grew|show\w*)|(culture|swab|biopsy|clippings?|sample) (report|result)s?|flow rate|(?<!on top of the )(?<!on top of your )(?<!apart from the )(?<!apart from your )(?<!besides the )(?<!besides your )(eye|blood) pressures?(?!\s*(pills?|tablets?|medic\w*|meds|problems?|treatment|,\s*(heart|kidney|diabetes|cholesterol|asthma|stroke)))|pressure (inside|in) (the|your|that)|pulse|heart rate|oxygen|saturation|blood (test|sugar|count)|results?|(?<!energy )(?<!stress )(?<!activity )(?<!pain )(?<!anxiety )(?<!noise )levels?(?! of (physical )?(activity|exercise|stress|pain|discomfort|itch\w*|energy|anxiety))|"
    r"readings?|measured|inr|clotting (tests?|levels?|time|screen|studies)|what (is|was) the (number|reading|level|result)|(taken|take|done|sent) (a |any )?(\w+ )?swabs?|swabbed|blood (type|group)|haemoglobin|hemoglobin|cholesterol level|hba1c|x-?ray(?! (treatment|therapy))|scan|swab result|cell count|crp|esr|white (cells?|count|blood cells?)|(cd4|platelets?|lymphocyte|white|red|blood) (cell )?counts?|viral load|"
    r"antibod\w*|tests? (show|result)\w*|(test|scan) (show|said)|thyroid (level|function)|vitamin d level|"
    r"(swabs?|tests?|biops\w*|scans?|x-?rays?|bloods|clippings?|samples?|cultures?)\b[^?.]{0,40}\b(come|came) back|"
    r"what did (it|they|the \w+) (show|grow)|what (they|it|the lab) grew\b|grew (off|from|on) (the|that|her|his|your) (swab|sample|culture)|what did (the |her |his |your |their )?(\w+ )?(swab|test|scan|sample|biopsy) "
    r"(show|grow|say)|"
    r"(what|did) (did )?(the|her|his|your|their|my)\b[^?.]{0,40}\b(swabs?|tests?|scans?|samples?|biops\w*|scrapings?|cultures?|"
    r"clippings?)\b[^?.]{0,40}\b(show|grow|say|find)|"
    r"pressure index|abpi|\bph\b|ige|did (anyone|they|the \w+|you) (swab|take a (swab|sample)|send \w+ off)|"
    r"scrapings?\b[^?.]{0,30}\b(come|came) back|(come|came) back (as|showing|with)|what (grew|it grew)|(did|has) the lab|"
    r"titres?|ferritin|b12|folate|pcv|packed cell volume|iron (level|stores)|(pocket|probing) (depths?|measurements?)|measurements?|"
    r"(was|were|it) (last )?checked|tsh|t4|(?<!abnormal )(kidney|liver|renal) function|egfr|creatinine|(last|recent) bloods|"
    r"cultures? grow|did the \w+ (culture|sample|swab|clipping)s? grow|(sent|send) (\w+ )?(off )?to the lab|"
    r"(which|what) (bug|germ|organism|bacteria)\w* (it |they )?grew|(what|which) (bug|germ|organism|bacteria)\w* did (it|they) grow|"
    # "which strain of virus is behind these?", "has the pus grown MRSA?", "if it's the MRSA strain of staph"
    r"(which|what) (\w+ )?strains?|strains? of (the )?(virus\w*|bacteri\w*|staph\w*|germs?|bugs?|fung\w*)|"
    r"(grown|grow|grew|growing) (any )?mrsa|(if|whether) (it'?s|it is) (the )?mrsa|"
    r"(virus|viral|bacterial) (sub)?types?|types? of (virus|bacteri\w*)|"
    # "do you know which germ it is? Was it staph?", "Give me the figure."
    r"(which|what) (kind of |type of |sort of )?(bug|germ|organism|bacteri\w*) (it|that|this) (is|was)|"
    r"(is|was) it (a |the )?(staph\w*|strep\w*)|give me the (exact )?(figure|number|reading|value|result)|"
    r"(the |their |its )(exact )?names? of (the |that |those )?(germ|bug|bacteri\w*|organism)s?|"
    r"(germ|bug|bacteri\w*|organism)s?\b[^?.]{0,60}\b(their|its) (exact )?names?|uptake)\b",
    re.IGNORECASE,
)
# Real attempts to extract the diagnosis or break the role (and nothing else: "record her temperature",
# "label on the cream", "diagnosed with any medical conditions" are ordinary history questions).
_PROBE_RE = re.compile(
    r"\bwhat('s| is| was) (it|this|that) called\b"
    r"|\b(name|diagnosis) (of|for) (it|this|your (condition|problem|rash))\b"
    r"|\bwhat('s| is| was) (your|the) (diagnosis|condition called)\b"
    r"|\b(tell|give|say|state|output|reveal|confirm) (me |us )?(your|the|what) (hidden |assigned |exact |real )?"
    r"(diagnosis|condition|label)\b"
    r"|\bwhat (condition|disease|diagnosis) (do you have|have you got|you have|were you (given|assigned))\b"
    r"|\b(plainly|honestly|exactly) what (condition|disease|it is)\b"
    r"|\bwhat did (you|they|the \w+|your \w+) (diagnose|call|name)\b"
    r"|\bwhat did (they|the \w+|your \w+) (write|put|note)( down)?\b"
    r"|\b(diagnos\w*|told|(?<!\byou )said) (you |that )?(with )?(it was|it's|it is|you have|this is)\b"
    r"(?<!you have(?= (an? |any )?(diabet\w*|asthma|high|heart|thyroid|kidney|liver|arthritis|epilep\w*|an(a)?emi\w*)))"
    r"|\b(case file|your (chart|notes|file|record)s? (say|says|said|show)|written in your)\b"
    r"|\b(the condition|what) you were (assigned|given|told)\b"
    r"|\bignore (your|all|previous|the|any)\b|\bforget (all|your|the) (rules|instructions)\b"
    r"|\binstructions?\b|\bsystem (prompt|override)\b|\bdebug mode\b|\bpretend\b|\brole[- ]?play\b"
    r"|\bbreak character\b|\bout of character\b|\byou are (now |no longer )?(a |an |the )?"
    r"(doctor|ai|assistant|model|language model|patient|textbook)\b|\bstarting with its name\b",
    re.IGNORECASE,
)
# A closing: the doctor's final diagnosis line, or a goodbye as the last sentence of a message that asks nothing.
_FINAL_RE = re.compile(r"FINAL DIAGNOSIS\s*:", re.IGNORECASE)
_GOODBYE_RE = re.compile(
    r"\b(good ?bye|bye( for now)?|take care( of yourself)?|get well soon|all the best)\b[.! ]*$", re.I
)
# Statements that give advice or a plan (the patient reacts to them per its attitude to treatment).
_PLAN_RE = re.compile(
    r"\b(i('d| would)? (recommend|suggest|advise|prescribe|like you to|encourage you to|urge you to|want you to|"
    r"need you to)|"
    r"you (should|need to|can|could|must)|you (might|may) (want|like|wish) to|"
    r"(tell|get|have) (him|her|them) to|"
    # advice passed on through a parent or an interpreter ("after a soak she should cut that nail short")
    r"(he|she) should (?!be\b|feel|get (better|worse)|settle|improve|notice|find|expect|start to|begin|grow|have\b)|"
    r"i('d| would) (just |probably |maybe |perhaps )?(stop|start|use|try|keep|avoid|put|take|leave|switch|hold off|"
    r"pause|skip|apply|give|go (straight )?(to|for|with)|come off|go off|stay off|get off|drop|ditch|cut out)|"
    r"it('d| would) (probably |also )?be (sensible|best|wise|a good idea|worth|better|safest) to|"
    r"(^\s*|(it'?s|it is) )(probably |always )?(best|better|safest|wisest|sensible|a good idea) (not )?to|"  # "Best to avoid ..."
    r"we (could|might) (perhaps |maybe |just )?(try|start|give|use|put)|"
    # a remedy passed on as what others do ("some families find that a little crushed aspirin ... numbs it")
    r"(some|many|lots of|a lot of|plenty of) (of my )?(people|families|parents|patients|mums|dads|folk|folks) "
    r"(find|swear by|like to|use|try|do well with)|"
    r"(simplest|best|easiest|safest) (thing|option|plan|bet)( (might|would|will) be| is)|"
    r"i was thinking (perhaps |maybe )?(of |we |you |a |the |some )|"
    r"the (treatment|plan|trick|secret|answer) is|(a |my )?(good|top|handy) tip is|"
    r"i (give|prescribe|refer|send|start|book) (you|him|her|them)\b|"  # "I give you a short course of amoxicillin"
    r"(my|our) (advice|recommendation|suggestion|plan) (is|would be) (to|that)|let's|we('ll| will| can)|i('ll| will| am going to|'m going to) (prescribe|refer|send|"
    r"arrange|give|book)|i'?m (prescribing|sending|giving|starting|referring|arranging|booking))\b"
    # a dose in milligrams is a prescription ("Prednisolone 30 mg once daily for 7 days", a chat model's plan list)
    r"|\b\d+(\.\d+)? ?(mg|mcg|micrograms?)\b"
    # so is a dosing frequency ("Betamethasone valerate 0.1%, twice daily for a month to the eyelids")
    r"|\b(once|twice|three times|four times|\d times) (a |per |each )?(day|daily|night|nightly|week|weekly)\b"
    r"|^\s*(?:(please|so|now|and|or|then|also|just|simply|first|for now|in the meantime|meantime|meanwhile|until then|gently|"
    r"yes|yeah|ok|okay|right|"
    r"(?:after|before|once) (?:your|the|each|every|a) \w+(?: tonight| today| this evening| each day)?|"
    r"carefully|always|regularly|do|honestly|"
    r"frankly|really|seriously|definitely|even better|better still|ideally),? )*"
    r"(apply|use|take|avoid|keep|stop|start|try|book|see|go to|come back|make|wash|put|"
    r"give|rinse|brush|soak|leave|get|buy|carry on|continue|stick|bathe|dab|cover|skip|cut|scrape|pop|squeeze|crush|"
    r"press|hold|dissolve|mix|spread|rub|massage|gargle|file|trim|order|flick|prick|lance|pierce|heat|switch|swap|"
    r"increase|pause|clean|check|monitor|measure|drink|change|dry|remove|wait|ring|call|phone|contact|"
    r"let (us|me) know|come off|go off|go back (to|on)|discontinue|seek|limit|moisturi[sz]e|rest|stay|bring|watch|look out|finish|complete|pat|"
    r"lift|ease|pull|push|tuck|pack|insert|boil|nick|sterili[sz]e|snip|shave|drain|roll|coax|express|spend|expose|"
    r"tie|wrap|pick|peel|twist|tape|register|arrange|attend|flip|"
    r"go (strict |strictly |completely |fully |totally )?\w+[- ]free)\b",  # "Go strict gluten-free from today"
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def _cue_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=512)
def _any_cue_re(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a whole cue list (one scan of the text instead of one per cue: grounding runs it per word
    group, per part, per turn)."""
    return re.compile(rf"(?<![\w-])(?:{'|'.join(f'(?:{p})' for p in patterns)})(?![\w-])", re.IGNORECASE)


def has_cue(text: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """True when any whole-word pattern occurs in `text`."""
    return bool(patterns) and _any_cue_re(tuple(patterns)).search(text) is not None


def without_cues(text: str, patterns: Iterable[str]) -> str:
    """`text` with every whole-word occurrence of the patterns blanked out."""
    for c in patterns:
        text = _cue_re(c).sub(" ", text)
    return text


@lru_cache(maxsize=8192)
def strip_cues(text: str) -> str:
    """The text without its intent cue words: what is left names the specific thing asked about."""
    return without_cues(text, (c for cues in _INTENT_CUES.values() for c in cues))


# Words a question part starts with (after a dash or a colon: "... - and are you still smoking?").
_Q_START = (
    r"(?:(?:so|and|also|but)\s+)?(?:have|has|had|do|does|did|is|are|was|were|any|anything|how|how's|when|what|what's|"
    r"where|which|who|can|could|would|will|if|let me know|tell me|ever)\b"
)


_PART_SEP = re.compile(
    r"(,?\s+(?:and|or)(?:\s+(?:also|then))?,?(?:\s+(?:sorry to ask|if I may|out of interest|while I think of it),)?\s+|"
    r",\s+also,?\s+)"
    r"(?!(?:have|has|had|do|does|did) (?:you|he|she|they) (?:\w+ )?\w+,)"  # "Do you use, or have you ever used, tobacco?"
    r"(?=(?:have|has|had|do|does|did|is|are|was|were|any|anyone|anybody|anything|"
    r"how|when|what|where|which|"
    r"who|whether|can|could|would|if|let me know|tell me|allergic|seen|noticed|tried|felt|used|been|got)\b)|(;\s*)|((?:\s+[-–—]+|:)\s+(?:and\s+)?)(?="
    + _Q_START
    + r")"
    r"|(,\s+)(?!(?:do|would) you (?:reckon|think|say)\s*[?.!]?\s*$)"  # "..., d'you reckon?" asks nothing more
    r"(?=(?:do|does|did|have|has|is|are|was|were|can|could)\s+(?:you|he|she|they|it|anyone|any|there)\b)"
    # a run-on's aside before its next question ("..., and, sorry, I should have asked this first really, are you
    # allergic ...?", "..., and then, thinking about what you drink on the road, are there ...?")
    r"|(,?\s+(?:and|or)(?:\s+then)?,\s+(?:[^,?]{3,90},\s+){1,2})(?=(?:do|does|did|have|has|is|are|was|were|can|could|would)\s+"
    r"(?:you|he|she|they|it|anyone|anybody|there)\b)",
    re.I,
)


# A summary put to the patient to confirm ("..., yes?", "... - is that right?"): every statement in it is asked.
CONFIRM_WORDS = (
    r"(?:yes|yeah|right|correct|is that (?:right|correct|so)|have i (?:got|understood) (?:that|it) (?:right|correctly))"
)
"""What asks the listener to confirm what was just said (used here and by the assessor's reading of the doctor)."""
_CONFIRMED = re.compile(r"(,|\s[-–—])\s*" + CONFIRM_WORDS + r"\s*\?\s*$", re.I)


def split_parts(text: str) -> list[str]:
    """Split a doctor message into sentences, and compound questions into one part per thing asked.

    "Is it more itchy, or is it more burning?" asks one thing (both sides open alike) and stays one part, as
    does "Is it just the one, or are there others?"; "Is the redness spreading, or does it hurt to move your
    eye?" asks two, and so does a list of yes/no questions ("Do you smoke, does anyone ... have diabetes?")."""
    text = _INLINE_ITEM.sub(" ", text)  # "... throat: 1) Are you ...? 2) Can you ...?" typed on one line
    sentences = [p.strip() for p in re.split(r"(?<=[?.!])\s+|\n+", text) if p and p.strip()]
    sentences = [q for s in sentences for q in _clauses_asked(s)]
    parts: list[str] = []
    for s in sentences:
        s = re.sub(r"^[-–—]+\s*", "", s)  # "...his face? - and around the nails, is there any pus?"
        pieces: list[str] = []
        at = 0
        for m in _PART_SEP.finditer(s):
            piece, rest = s[at : m.start()].strip(" ,"), s[m.end() :]
            if re.fullmatch(_LEAD + r"\W*", piece, re.IGNORECASE):
                at = m.end()  # "okay and does he have ...", "So - how have things gone?": a lead word, dropped
                continue
            if m.group(3) and re.search(r"\band\b", m.group(3)) and s.rstrip().endswith("?") and piece[-1:] != "?":
                piece += "?"  # "Spots on your back as well - and are they itchy?" asks two things
            if m.group(1) and re.search(r"\bor\b", m.group(1)) and re.match(r"any(one|body|thing)\b", rest, re.I):
                continue  # "anything that's been worrying you, or anything you've wondered about?" asks one thing
            if (m.group(2) or m.group(5)) and s.rstrip().endswith("?") and piece[-1:] != "?":
                piece += "?"  # "Regular meds; allergies; how's school?" asks three things
            if m.group(1) and _CONFIRMED.search(s) and piece[-1:] != "?":
                piece += "?"  # "Let me recap - she's usually healthy and has never had one before, yes?": both checked
            if m.group(3) and m.group(3).strip().startswith(":"):
                piece += ":"  # "Something that goes with this: have you had ...?" - the lead-in asks nothing
            if m.group(4) and not _CLOSED_RE.match(piece):
                continue  # "When you wake up, do you ...?" is one question; "Do you smoke, does anyone ...?" two
            if piece:
                pieces.append(piece)
            alternative = m.group(1) and re.search(r"\bor\b", m.group(1))
            # "Are they just scattered about, or are any of them lined up?": one thing, its plain side first
            just = bool(re.search(r"\b(just|only|simply)\b", pieces[-1], re.IGNORECASE)) if pieces else False
            if alternative and pieces and (_head(pieces[-1]) == _head(rest) or len(rest.split()) <= 3 or just):
                pieces[-1] = f"{pieces[-1]}, or"  # joined with what follows below ("... or are there others?")
            at = m.end()
        tail = s[at:].strip(" ,")
        if tail:
            pieces.append(tail)
        joined: list[str] = []
        for piece in pieces:
            if joined and joined[-1].endswith(", or"):
                joined[-1] = f"{joined[-1]} {piece}"

            else:
                joined.append(piece)
        parts += joined
    return _ice_lead_joined(_how_long_each(parts)) or ([text.strip()] if text.strip() else [])


def _asks_ice_first(text: str, intents: frozenset[str]) -> bool:
    """ "What's your own theory:", "What's worrying you most about it:": an idea or concern asked before a colon, not
    a courtesy ("I hope you will forgive a rather personal question:")."""
    return bool(intents & _ICE_INTENTS) and bool(
        re.match(r"^\W*((so|and|now|ok|okay),?\s+)?(what|which)\b", text, re.I)
    )


def _ice_lead_joined(parts: list[str]) -> list[str]:
    """ "What's worrying you most about it: how it looks, how he feels, or something else?": the options after a
    colon belong to the idea, concern or expectation asked before it."""
    out: list[str] = []
    for p in parts:
        if out and out[-1].rstrip().endswith(":") and _asks_ice_first(out[-1], classify(out[-1]).intents):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out


def _how_long_each(parts: list[str]) -> list[str]:
    """ "How often d'ye brush, and for how long?": how long each time, one question with the how-often, not since
    when the illness began."""
    out: list[str] = []
    for p in parts:
        if out and _HOW_LONG_EACH.match(p) and _HOW_OFTEN.search(out[-1]):
            out[-1] = f"{out[-1].rstrip(' ?')}, and for how long?"
        else:
            out.append(p)
    return out


_HOW_LONG_EACH = re.compile(r"^\W*(and\s+)?for how long\W*$", re.IGNORECASE)
_HOW_OFTEN = re.compile(r"\bhow (often|many times)\b", re.IGNORECASE)
# A list item's number typed inline, after a colon or a question ("1) Are you ...? 2) Can you ...?").
_INLINE_ITEM = re.compile(r"(?:^|(?<=[:?.!;]))\s*(?:\(?\d{1,2}\)|\d{1,2}\.(?=\s+[A-Z]))\s+")
# The doctor speaking of itself or of what was said: a lead-in to the question, not a question of its own.
_PREAMBLE = re.compile(
    r"\s*(i|i'm|i'd|i've|i'll|we|we're|we'll|let's|it's been|it sounds|that|this|there's|"
    r"you (mentioned|said|told|know|described|explained))\b",
    re.IGNORECASE,
)
_JOINED_ASK = re.compile(r",\s+(?:and\s+also|and|also)\s+(?!then,)", re.IGNORECASE)


def _clauses_asked(sentence: str) -> list[str]:
    """A question whose parts are each a clause of their own, joined by ", and" or ", also" ("He has fever, and
    at home somebody is pregnant?", "You smoke, and when you went last time to dentist?"): one question per
    clause. A list ("any redness, swelling, and pus?") stays one question."""
    if not sentence.rstrip().endswith("?"):
        return [sentence]
    pieces = _JOINED_ASK.split(sentence)
    short = [p for p in pieces if len(p.split()) < 3 and not (len(p.split()) == 2 and _SUBJECT_START.match(p))]
    if len(pieces) < 2 or short or any(_PREAMBLE.match(p) for p in pieces):  # "You smoke, and ...?" asks two
        return [sentence]
    return [p if p.rstrip().endswith("?") else f"{p}?" for p in pieces]


def _head(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())[:2]


@dataclass(frozen=True)
class Part:
    """One thing a doctor's message asks or says."""

    text: str
    intents: frozenset[str] = field(default_factory=frozenset)
    question: bool = False
    closed: bool = False
    open: bool = False
    measurement: bool = False
    probe: bool = False
    social_topics: frozenset[str] = field(default_factory=frozenset)

    @property
    def categories(self) -> set[str]:
        return {CATEGORY_OF_INTENT[i] for i in self.intents if i in CATEGORY_OF_INTENT}


# Medicines asked for in their own right beside allergies ("any regular medication and drug allergies?").
_ASKS_MEDICINES = re.compile(
    r"\b((regular|usual|current|daily|other|repeat) (medic\w*|tablets?|pills?|prescriptions?)|"
    r"(take|taking|on) (any|anything|some|something|regular)\b(?! (you'?re|you are) allergic)|"
    r"(?<!to )\bany (medic\w*|meds|tablets?|pills?) (or|and) (any )?allerg)",
    re.IGNORECASE,
)


_WORRY = re.compile(r"\b(worr\w*|concern\w*|anxious|fear\w*|scared|afraid|frighten\w*|nervous)\b", re.IGNORECASE)
_HEDGE = re.compile(r"\b(it'?s )?(probably )?nothing to worry about,? but\b", re.IGNORECASE)


# What a question is framed by, before it: a time it is anchored to ("Since it started, what have you been putting
# on it?") or a guess invited ("If you had to guess, how long would you say it's been there?"). The question after
# it is what is asked.
_FRAME = re.compile(
    r"\s*(?:and |so )?(?:(?:since|ever since|after|before) (?:it|they|this|that|then|you|the \w+|your \w+|last|we)\b"
    r"[^,?]{0,50}|in the (?:days|weeks|months|hours) (?:before|after|since) [^,?]{1,40}|"
    r"if you (?:had|were) to (?:guess|say|bet|pick)|(?:if you were|were you) to (?!tell|describe|explain|talk|walk|take|say|sum)[^,?]{1,50}|at a guess|"
    r"off the top of your head),\s*(?=\w)",
    re.IGNORECASE,
)


# "Has anything new been started in the last few months?": a medicine started, not the illness.
_NOT_THE_ONSET = re.compile(
    r"\b((any(thing)?|something) new|new (tablets?|medic\w*|meds|drugs?|pills?))\b[^?.]{0,20}\bstart(ed)?\b|"
    r"\bstart(ed)? (any|a) new (tablets?|medic\w*|meds|drugs?|pills?)\b|"
    r"\bstart(ed)? (on |using )?(any|a|some) new \w+",  # "Has she started on any new soaps or washing powder?"
    re.IGNORECASE,
)
_EPISODE_LENGTH = re.compile(
    r"\bhow long (?:do|does|did|will|would) (?:it|they|each( one)?|one|an? \w+|the \w+)(?: \w+)? "
    r"(?:last|stay|go on|take to (?:settle|heal|clear|go|get better|improve))\b",
    re.I,
)
_SINCE_BORN = re.compile(
    r"\s*,?\s+(?:ever )?since (?:she|he|you|they|the baby) (?:was|were) born\b(?=\s*[?.!]?\s*$)", re.I
)


_SINCE_TREATMENT = re.compile(
    r"\bhow('s| is| are| has| have)( \w+){1,3} (now )?(after|since) (the|your|his|her|that|this) "
    r"(medicines?|meds|treatment|tablets?|creams?|drops|antibiotics?|course)\b",
    re.IGNORECASE,
)


def asks_since_treatment(text: str) -> bool:
    """ "How is your face now after the medicines?": how things are since a treatment (the course, not the medicines)."""
    return bool(_SINCE_TREATMENT.search(text))


# An opinion asked for as a tag after another question ("..., d'ye reckon?", "..., do you think?")
_OPINION_TAG = re.compile(r",\s*(d'?ye|do you|d'?you|would you|you) (reckon|think|suppose)\s*\??\s*$", re.IGNORECASE)
_ICE_INTENTS = frozenset({"ideas", "concerns", "expectations"})


def _intents_of(text: str, cued: str) -> frozenset[str]:
    """The intents a part's cues name, less those another reading of the same words takes back."""
    tag = _OPINION_TAG.search(cued)
    if tag and {i for i, cues in _INTENT_CUES.items() if has_cue(cued[: tag.start()], cues)} - _ICE_INTENTS:
        cued = cued[: tag.start()]  # "Is there owt that makes it flare, d'ye reckon?" asks the triggers
    found = {i for i, cues in _INTENT_CUES.items() if has_cue(cued, cues)}
    if "allergies" in found and not _ASKS_MEDICINES.search(text):
        found.discard("medications")  # "allergic to any medicines?" asks about allergies, not the medicines taken
    if found & {"ideas", "concerns", "expectations"}:
        found -= {"triggers", "course"}
    if {"ideas", "concerns"} <= found and not _WORRY.search(cued):
        found.discard("concerns")  # "what's been going through your mind about the cause?" asks what they think
    if "medications" in found and _SINCE_TREATMENT.search(text):
        found = (found - {"medications"}) | {"course"}  # "how is your face now after the medicines?" asks the course
    if "medications" in found and re.search(r"\b(had|have|has) (\w+ ){0,6}in mind\b", text, re.IGNORECASE):
        found = (found - {"medications"}) | {"expectations"}  # "did you have a particular treatment in mind?"
    if "expectations" in found and re.search(r"\bin mind\b", text, re.IGNORECASE):
        found.discard("medications")  # "what you had in mind by way of treatment" asks what they hope for
    if "family" in found and re.search(r"\bruns? in (yours|your family|the family|families)\b", text, re.I):
        found.discard("past_history")  # "Does anything run in yours, skin problems or thyroid?" asks the family's
    if {"medications", "triggers"} <= found and _TOILETRY.search(text) and not _MEDICINE_WORD.search(text):
        found.discard("medications")  # "new aftershave or face cream recently?" asks about products, not medicines
    if "onset" in found and _NOT_THE_ONSET.search(text):
        found.discard("onset")  # "has anything new been started?" asks about medicines
    if "ideas" in found and re.search(r"\bany idea\b|\byou'?d know\b", text, re.I) and _MEASURE_RE.search(text):
        # "Eosinophil count... any idea?", "you'd know which strain of virus is behind these?": whether it is known
        found.discard("ideas")
    if "onset" in found and _HOW_OFTEN.search(text) and re.search(r"\bfor how long\b", text, re.IGNORECASE):
        found.discard("onset")  # "brushing how many times in the day, and for how long?" asks about the habit
    if _EPISODE_LENGTH.search(text):  # "once the zing starts, how long does it last?" asks what an episode is like
        found = (found - {"onset"}) | {"character"}
    return frozenset(found)


# Products put on the skin that are no medicine, and the words that name a medicine.
_TOILETRY = re.compile(
    r"\b(aftershaves?|shampoos?|soaps?|toiletries|cosmetics|make-?up|perfumes?|shower gels?|detergents?|"
    r"washing (powder|liquid)|hair (dyes?|products?)|skincare|deodorants?)\b",
    re.IGNORECASE,
)
_MEDICINE_WORD = re.compile(r"\b(medic\w*|meds|tablets?|pills?|drugs?|prescri\w*|steroids?|antibiotics?)\b", re.I)
# A test had in the past and what it showed, which the patient knows ("have you ever had a blood test that showed
# anything"): past history, not a result to look up.
_PAST_TEST = re.compile(
    r"\bever (?:had|been told) (?:a |any )?(?:\w+ )?(?:tests?|scans?|x-?rays?|biops\w+)\b[^?.]{0,20}\b(?:showed|found|shown)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def classify(text: str) -> Part:
    """Read one part: its intents (whole-word cues), whether it is a question, closed, open, a probe."""
    frame = _FRAME.match(text)
    if frame and any(has_cue(text[frame.end() :], cues) for cues in _INTENT_CUES.values()):
        return replace(classify(text[frame.end() :]), text=text)
    born = _SINCE_BORN.search(text)
    if born and (rest := classify(text[: born.start()] + text[born.end() :])).social_topics:
        return rest  # "Have you travelled abroad with her since she was born?" asks about travel, not the birth
    cued = _GUESS_TAIL_RE.sub(
        " ", _HEDGE.sub(" ", text)
    )  # "It's probably nothing to worry about, but ..." asks no concerns
    intents = _intents_of(text, cued)
    topics = (
        frozenset(t for t, cues in SOCIAL_TOPICS.items() if has_cue(text, cues)) if "social" in intents else frozenset()
    )
    if len(topics) > 1:
        topics = topics - {"home"}  # "any animals at home?" asks about pets
    if topics == {"home"} and "medications" in intents and re.search(r"\bat home\b", text, re.IGNORECASE):
        intents, topics = intents - {"social"}, frozenset()  # "tried something at home for it?" asks about remedies
    if topics & _HABIT_TOPICS and "family" in intents and not has_cue(text, _FAMILY_HISTORY):
        intents = intents - {"family"}  # "Has the family been abroad?" asks about travel, not family history
    lead = _REQUEST_RE.match(text)
    lead = lead or _REQUEST_INSIDE.search(text)
    request = lead is not None and _asks_after(text, lead)  # "I ask everyone this:" asks nothing yet
    presumed = bool(_PRESUMES.search(text) or _SUMMARY_CHECK.match(text))
    whether = bool(_TELL_WHETHER.match(text) or _WHETHER_CLAUSE.match(text))
    permission = lead is not None and bool(re.search(r"\b(ok|okay|alright|all right|fine|mind)\b", lead.group(0), re.I))
    # "Could you tell me:" introduces the list that follows; "What's worrying you most about it:" asks already
    lead_in = text.rstrip().endswith(":") and not _asks_ice_first(text, intents)
    task = _TASK_RE.match(text) or _PROPOSAL_RE.match(text)
    if task and not _TASK_ASKS.search(text[task.end() :]):
        return Part(text=text)  # "Can you have a look in the mirror for me": the question comes after it
    describes = bool(_DESCRIBE_THING.match(text))
    # "Describe your eyes - any redness, or are they fine?": a description narrowed to a yes/no question
    narrowed = describes and bool(_DESCRIBE_NARROWED.search(text))
    is_open = (
        not lead_in
        and not _TARGETED_TELL.match(text)
        and not whether
        and not describes
        and (bool(_OPEN_RE.match(text)) or bool(_OPEN_ANYWHERE.search(text)) or bool(_SINCE_TREATMENT.search(text)))
    )
    question = not lead_in and (
        text.rstrip().endswith("?")
        or request
        or presumed
        or whether
        or is_open  # "Perhaps you might begin by taking me through how it has gone" invites the story
        or any(r.match(text) for r in (_OPEN_RE, _CLOSED_RE, _WH_RE))
    )
    return Part(
        text=text,
        intents=intents,
        question=question,
        closed=not is_open
        and (narrowed or not describes)  # "Can you describe the rash for me?" is no yes/no question
        and (
            narrowed
            or bool(_FRONTED_YES_NO.match(text))  # "When it happened, did you bang your head?"
            or (bool(_CLOSED_RE.match(text)) and not permission)  # "Would it be OK if I asked about your work?"
            or presumed
            or whether
            or bool(_TAG_QUESTION_RE.search(text))
            or (_declarative_q(text) and not permission)
            or bool(_INDIRECT_CLOSED.match(text))
            or bool(request and lead and _CLOSED_RE.match(text[lead.end() :].lstrip(" ,")))  # "I'm wondering, have you"
            or (request and lead is not None and bool(re.search(r"\b(if|whether)\b", text[lead.end() :], re.I)))
        ),
        open=is_open,
        measurement=bool(_MEASURE_RE.search(text)) and not _PAST_TEST.search(text),
        probe=is_probe(text),
        social_topics=topics,
    )


def asks_to_describe(text: str) -> bool:
    """ "Describe the spots for me", "Can you describe the rash?", "Tell me how it feels": a request for how one
    thing is."""
    return bool(_DESCRIBE_THING.match(text) or _TARGETED_TELL.match(text))


def starts_like_question(text: str) -> bool:
    """Whether a piece opens as a question does (an auxiliary, a question word, an invitation, an asking lead),
    unlike a statement said with a rising question mark ("I shouldn't think you need to worry?")."""
    return any(r.match(text) for r in (_CLOSED_RE, _WH_RE, _OPEN_RE, _REQUEST_RE, _INDIRECT_CLOSED)) or bool(
        _PRESUMES.search(text) or _TAG_QUESTION_RE.search(text)
    )


def invitation(text: str) -> str:
    """The words of an open invitation from its cue on, without the preamble before it ("I can't see your foot
    on the phone, so talk me through what's been going on with the toe" invites the story of the toe)."""
    if _OPEN_RE.match(text):
        return text
    m = _OPEN_ANYWHERE.search(text)
    return text[m.start() :] if m else text


def words_after(text: str, at: int) -> list[str]:
    return re.findall(r"[a-z']+", text[at:].lower())


_PREFACE = re.compile(r"\b(ask|asking|asked|check|checking)\b", re.IGNORECASE)
_PREFACE_CONTENT = re.compile(r"\b(about|whether|if|what|how|when|where|why|which|who|any)\b", re.IGNORECASE)


def _asks_after(text: str, lead: re.Match[str]) -> bool:
    """A request asks something when words follow it; "I have to ask", "I ask everyone this, so don't be
    alarmed" only announce a question ("about ...", "whether ..." make them one)."""
    rest = text[lead.end() :]
    if _PREFACE.search(lead.group(0)):
        return bool(_PREFACE_CONTENT.search(rest))
    return len(words_after(text, lead.end())) > 1


# A guess added after a statement about the patient ("You'll be putting something on it already, I expect.", "No
# toothache with it, presumably.", "It began on her cheeks, then."): the statement is asked, the guess asks nothing.
_SURE_GUESS = r"i'?d expect|i expect|i'?d bet|surely|presumably|i'?d think|i should think|no doubt|i reckon"
_GUESS_TAIL = (
    r",?\s*(" + _SURE_GUESS + r"|as far as you know|i would think)\s*[.!]?\s*$"
    r"|,\s*(would|do|d') ?you (reckon|say|think)\s*(?=[?.!]|$)"
    r"|,\s*then\s*[.!]?\s*$"
)
_GUESS_TAIL_RE = re.compile(_GUESS_TAIL, re.IGNORECASE)
# A sentence guessed at ("You'll be putting something on it already, I expect.", "I'd guess his gums bleed a bit"),
# in the words the guess was made with.
_GUESS_WORDS = _SURE_GUESS + r"|i bet|i'?d guess|i guess|i'?d imagine|i imagine|i suppose|i presume|i'?d say"
# A guess about now, in the future tense ("You'll be putting ...", "You'll have wondered ..."), and the words that
# make the same tense a forecast or a plan instead ("You'll be feeling better soon", "You'll have to use it").
_GUESS_ABOUT_NOW = r"(?:you|he|she|they)(?:'ll| will) (?:be \w+ing|have (?!to\b)\w+)\b"
_FORECAST = (
    r"soon|in a (?:few|couple)|by (?:then|the time|next)|after|once|when|tomorrow|next|shortly|again|better|fine|okay|ok|"
    r"alright|going to"
)
_START = r"(?:^|(?<=[.?!]\s)|(?<=\n))(?:(?:and|so|but)\s+)?"
_END = r"\s*(?:[.!](?=\s|$)|$)"
_GUESSED = re.compile(
    _START
    + r"(?:(?:"
    + _GUESS_WORDS
    + r")\s+(?:that\s+)?)?([^.?!\n]+?),?\s*(?:"
    + _GUESS_WORDS
    + r")"
    + _END
    + r"|"
    + _START
    + r"(?:"
    + _GUESS_WORDS
    + r")\s+(?:that\s+)?([^.?!\n]+?)"
    + _END
    # "You'll be wanting to know whether ...", "He'll have had it before": a guess about now, not a plan or a forecast
    + r"|"
    + _START
    + r"("
    + _GUESS_ABOUT_NOW
    + r"(?![^.?!\n]*\b(?:"
    + _FORECAST
    + r")\b)[^.?!\n]*?)"
    + _END
    + r"|"
    + _START
    + r"([^.?!\n]+?),\s*then"
    + _END,  # "It began on her cheeks, then."
    re.IGNORECASE,
)
# The subject and verb of a guess, turned round to ask it ("you'll be putting" → "are you putting").
_INVERSIONS = (
    (r"(you|they|we)(?:'ll| will) be\b", r"are \1"),
    (r"(he|she|it)(?:'ll| will) be\b", r"is \1"),
    (r"(you|they|we)(?:'ll| will) have\b", r"have \1"),
    (r"(he|she|it)(?:'ll| will) have\b", r"has \1"),
    (r"(you|they|we)(?:'re| are)\b", r"are \1"),
    (r"(you|they|we)(?:'ve| have)\b(?! to\b)", r"have \1"),
    (
        r"(he|she|it|there)(?:'s| is)(?= (\w+ing|not|no|a|an|the|still|already|only|just|feeling|fine|ok|okay|well)\b)",
        r"is \1",
    ),
    (r"(he|she|it)(?:'s| has)(?= (been|had|got|\w+ed|not been|never)\b)", r"has \1"),
)
_INVERSIONS_RE = [(re.compile(r"^" + a, re.IGNORECASE), b) for a, b in _INVERSIONS]


def _asked_guess(m: re.Match[str]) -> str:
    """A guessed statement as the question it asks ("You'll be putting something on it already, I expect." → "are you
    putting something on it already?"); one that cannot be turned round keeps its words, asked ("Somebody in the
    family has asthma?")."""
    said = next((g for g in m.groups() if g), "").strip().rstrip(",")
    for pattern, asked in _INVERSIONS_RE:
        if pattern.match(said):
            said = pattern.sub(asked, said[:1].lower() + said[1:], count=1)
            break
    return said[:1].upper() + said[1:] + "?"


# A presumption stated as fact asks it ("You packed in the fags years back, I take it.").
_PRESUMES = re.compile(
    r"(,|\.|-)?\s*(i take it|i suppose|i'?d imagine|i imagine|i gather|i'?d guess|i guess|i'?m guessing|i presume|"
    r"i assume|i('?m| am) assuming|i('?d| would) assume|i bet|"
    r"i'?d put money on it|is it|isn'?t it|are you|aren'?t you|have you|haven'?t you|do you|don'?t you|did you|was it|"
    r"has it|hasn'?t it|does it|doesn'?t it)\s*[.!]?\s*$"
    r"|^\s*(and |so |but )?(i bet|i'?m guessing|i take it|i gather|presumably|i'?d guess|i guess|i expect|i'?d imagine|"
    r"i imagine|i suppose|i'?d say|i reckon|i presume|surely|no doubt)\b"
    # "You'll be putting something on it already", "You'll have wondered whether ...": a guess about now, not a plan
    r"|^\s*(and |so )?" + _GUESS_ABOUT_NOW + r"(?![^?]*\b(" + _FORECAST + r"|right as rain)\b)"
    r"|^\s*(no|not|never|so|and)\b[^?]*,?\s(right|yeah|correct)\s*\??\s*$"  # "no toothache or sensitivity right"
    r"|,\s*(i gather|i take it|i'?d imagine|i imagine|i suppose|i presume|i assume|i'?d guess)\s*,"
    r"|,\s*(correct|right|yes|yeah|true|no)\s*\?\s*$"  # "He has no fever, yes?"
    r"|" + _GUESS_TAIL,
    re.IGNORECASE,
)


def _declarative_q(text: str) -> bool:
    """ "So it's mostly on one side?" / "You haven't used anything?": a statement asked as a yes/no question."""
    after_preamble = re.search(r"(\s[-–—:]\s*|,\s*)(?=(what|how|when|where|which|who|why)\b)", text, re.I)
    lead = _REQUEST_RE.match(text)  # "I'm wondering what comes out of your eyes?" asks what
    wh_lead = bool(lead and _WH_RE.match(text[lead.end() :]))
    return (
        text.rstrip().endswith("?")
        and not _WH_RE.match(text)
        and not _OPEN_RE.match(text)
        and not after_preamble
        and not wh_lead
    )


def parts_of(text: str) -> list[Part]:
    """The parts of a doctor message. A bare question after a statement asks about that statement ("People often
    have a theory about it - have you got one?"): the two are read as one part. A message typed without any
    punctuation asks what it names ("itchy at all", "smoke", "scalp ok")."""
    parts: list[Part] = []
    unpunctuated = not re.search(r"[?.!]", text)
    unmarked = "?" not in text and text == text.lower()  # a lowercase typist who never types "?"
    plain = plain_words(text)
    # "Surgery can change things, so I'll just check - have you had ...?"
    plain = _QUOTED_BACK.sub("", without_pleasantries(_ANNOUNCED.sub(":\n", plain)))
    rest = _START_CHOICE.sub("", plain)
    plain = rest if re.search(r"\w", rest) else plain  # "Where would you like to start - ...? Either way, tell me"
    label = ""  # "Urea cream: how often? Helped?": a topic named before a colon heads the short questions after it
    for piece in [q for p in split_parts(plain) for q in _without_aside(p)]:
        part = classify(piece)
        # "you on any meds at all. and any allergies to antibiotics": a typist who ends questions with full stops
        typed = unpunctuated or (unmarked and part.intents and bool(_OPENS_AS_ASKED.match(piece)))
        if typed and not part.question and _typed_question(piece, part):
            part = replace(part, question=True, closed=not _WH_RE.match(piece))
        if label and part.question and not part.open and not part.intents and len(piece.split()) <= 6:
            if parts and parts[-1].text == label:
                parts.pop()
            part = classify(f"{label.rstrip().rstrip(':')} - {piece}")
        else:
            label = piece if _LABEL.match(piece) and part.intents and not part.question else ""
        if parts and parts[-1].question and (parts[-1].intents or parts[-1].open) and _asks_again(piece, part):
            continue  # "Any history of asthma? Kindly tell me.": the question before, asked politely
        if (
            parts
            and parts[-1].question
            and not parts[-1].open
            and _HOW_THAT.match(piece)
            and not _LOOKED.search(parts[-1].text)
        ):
            continue  # "May I ask about the skin between his toes? How has that been?": the same thing, asked on
        if parts and parts[-1].question and _offers_option(parts[-1], piece):
            parts[-1] = replace(parts[-1], text=f"{parts[-1].text} {piece}")
            continue  # "What would you like from me today? A test? A cream?": the options of the question before
        part = _read_with_before(parts, piece, part, plain)
        part = _named_before(parts, part)
        if _statement_goes_on(parts, piece, part, plain):
            part = replace(part, question=False, closed=False)  # "That affects how well your pill and any tablets
            # are absorbed.": the statement goes on after its "and", asking nothing
        if (
            parts
            and parts[-1].open
            and part.closed
            and not re.search(re.escape(parts[-1].text) + r",?\s+and\b", plain)  # "Tell me about X, and any Y"
            and parts[-1].text[-1:] not in "?.!"
            and not re.search(r"\b(how|when|what|where|which|whats)\b", parts[-1].text, re.IGNORECASE)
        ):
            parts[-1] = replace(parts[-1], open=False, question=False)  # "Tell me a bit about nuts - has he had them?"
        parts.append(part)
    return parts


# A request to answer, after the question it asks about ("Kindly tell me.", "Please tell me.", "Tell me. I want to know.").
_POLITE_TAG = re.compile(
    r"\s*((please|kindly|do|go on|come on),? )?(you )?(tell|let) (me|us)( please| now| straight| honestly| truthfully| frankly)?"
    r"\s*[.!]?\s*$|\s*(is )?(that|this) (right|correct|so|true)\s*\?\s*$"
    r"|\s*(i (really )?want to know|i'?d like to know|take your time)\s*[.!]?\s*$",
    re.IGNORECASE,
)


def _asks_again(piece: str, part: Part) -> bool:
    """`piece` asks for the answer to the question before ("Kindly tell me.", "Tell me what you use.")."""
    return bool(_POLITE_TAG.match(piece)) or (
        not part.intents and bool(re.match(r"\s*tell me (what|which|how)\b[^?]{0,30}\.\s*$", piece, re.I))
    )


# How the thing just asked about has been ("How has that been?", "And how's that been going?").
_HOW_THAT = re.compile(
    r"^\s*(and |so )?how('s| has| is|'ve| have) (that|those|they|it) (been|going)( (going|doing|lately|recently))?\s*\?\s*$"
    r"|^\s*(and |so )?what (have|did) you noticed?( about (that|it|them))?\s*\?\s*$",  # "... Mum, what have you noticed?"
    re.IGNORECASE,
)


# A few words offered as an answer to the question before ("A cream? Something else?", "Or thick yellow stuff?").
_OPTION = re.compile(r"^\s*(or\s+)?(a|an|some|something|anything else|another|just)\b[^?.!]{0,30}\?\s*$", re.IGNORECASE)
_OR_OPTION = re.compile(r"^\s*or\b[^?.!]{0,40}\?\s*$", re.IGNORECASE)


def _offers_option(before: Part, piece: str) -> bool:
    """`piece` offers an answer to the question before it: an "or ..." after any question, a short noun phrase ("A
    cream?") after a wh-question."""
    if _OR_OPTION.match(piece):  # "Is it water? Or thick yellow stuff?" (not "Any sores? Or red, painful eyes?")
        return bool(
            re.search(r"(^|[-–,]\s*)(is|are|was|were|does|do|did) (it|they|that|this|these)\b", before.text, re.I)
        )
    return not before.closed and not before.open and len(piece.split()) <= 5 and bool(_OPTION.match(piece))


def _statement_goes_on(parts: list[Part], piece: str, part: Part, plain: str) -> bool:
    """`piece` is the rest of a statement cut at its "and", ending with a full stop: no question of its own."""
    return (
        part.question
        and piece.rstrip().endswith(".")
        and bool(parts)
        and not parts[-1].question
        and re.search(re.escape(parts[-1].text) + r",?\s+and\s+" + re.escape(piece[:15]), plain) is not None
    )


_BODY_NAMED = re.compile(
    r"\b(?:the|your|his|her|those|these) ((?:\w+ )?(?:nails?|eyes?|eyelids?|lids?|lips?|gums?|teeth|tooth|scalp|feet|foot|"
    r"hands?|toes?|fingers?|legs?|shins?|arms?|face|mouth|throat|ears?|knees?|elbows?))\b",
    re.IGNORECASE,
)
_PRONOUN_OBJECT = re.compile(r"\b(with|about|to|of|on) (them|it)\b", re.IGNORECASE)


def _named_before(parts: list[Part], part: Part) -> Part:
    """An open question that points back at a body part the statement before it named ("I can see why the nails are
    bothering you. What's been happening with them exactly?") asks about that part, not for the whole story."""
    if not (part.open and parts and not parts[-1].question and _PRONOUN_OBJECT.search(part.text)):
        return part
    named = _BODY_NAMED.search(parts[-1].text)
    if named is None or _BODY_NAMED.search(part.text):
        return part
    return classify(_PRONOUN_OBJECT.sub(lambda m: f"{m.group(1)} the {named.group(1)}", part.text, count=1))


def _read_with_before(parts: list[Part], piece: str, part: Part, plain: str) -> Part:
    """`piece` read with the part before it when it only completes or points back at it (the part before is then
    taken off `parts`); otherwise `piece` on its own."""
    if (
        part.question
        and not part.open
        and not part.intents
        and parts
        and not parts[-1].question
        and not parts[-1].text.rstrip().endswith(":")  # "A few questions:" heads a list, not this question
        and len(piece.split()) <= 10
        and not _REQUEST_RE.match(piece)  # "I'm wondering what comes out of your eyes" asks on its own
        and not _TASK_RE.match(parts[-1].text)  # "Could you shine a torch in - what can you see?"
        and not re.match(r"\s*but\b", piece, re.IGNORECASE)  # "We've talked about the front teeth - but how ...?"
        # "You mentioned your face goes red - what sets that flushing off?" asks its own thing; "You said you'd
        # tried a warm flannel - has that helped?" asks about what was quoted
        and not (_REFERS_BACK.match(parts[-1].text) and not _ANAPHOR.search(piece))
    ):
        part = classify(f"{parts.pop().text} - {piece}")
    elif parts and parts[-1].question and _fragment(piece) and not _own_question(piece, part, parts[-1], plain):
        part = classify(f"{parts.pop().text} {piece}")  # "... at home? Going at them with a scrub, that sort of thing?"
    elif (
        (part.intents or part.closed)
        and part.question
        and parts
        and parts[-1].question
        and not (parts[-1].intents or parts[-1].open or parts[-1].text[-1:] in "?.!")
        and re.search(re.escape(parts[-1].text) + r"\s*[-–—]", plain) is not None
    ):  # "I'm wondering how he seems with it - does it appear to itch?": the second says what the first asks
        part = classify(f"{parts.pop().text} - {piece}")
    elif (
        parts
        and parts[-1].question
        and parts[-1].intents
        and not parts[-1].open
        and not part.intents
        and not part.open
        and len(piece.split()) <= 6
        and (_WH_RE.match(piece) or _HELPED.match(piece))
        and re.search(r"\b(they|he|she|it|that|then)\b", piece, re.IGNORECASE)
    ):  # "When was your last dental check-up, and what did they say then?": what the check-up found
        part = classify(f"{parts.pop().text} - {piece}")
    elif (
        parts
        and not parts[-1].question
        and parts[-1].intents
        and len(parts[-1].text.split()) <= 3
        and part.question
        and re.match(r"\s*any\b", piece, re.IGNORECASE)
        and re.search(re.escape(parts[-1].text.rstrip(":")) + r"\s*[-–—:]", plain) is not None
    ):  # "And A for allergies - any to medicines?": the heading names what "any" asks about
        part = classify(f"{parts.pop().text} - {piece}")
    elif (
        parts
        and parts[-1].measurement
        and part.question
        and not part.open
        and part.intents <= {"severity"}
        and len(piece.split()) <= 8
        and re.search(r"\b(it|that|they|this)\b", piece, re.IGNORECASE)
    ):  # "What was her ASO titre? How high did it come out?": the number just asked for
        part = replace(classify(f"{parts.pop().text} - {piece}"), measurement=True)
    elif parts and parts[-1].question and _SAW_BACK.match(piece) and _LOOKED.search(parts[-1].text):
        part = classify(f"{parts.pop().text} - {piece}")  # "Have you had a look at your throat? What did you see?"
    elif parts and parts[-1].open and _EMBEDDED_WH.match(piece) and not part.intents and not piece.endswith("?"):
        part = classify(f"{parts.pop().text} and {piece}")  # "tell me how this came on and what you've noticed"
    elif part.open and _POINTS_BACK.match(piece) and parts and _REFERS_BACK.match(parts[-1].text):
        # "Earlier you said your mother has a skin problem too - can you tell me a bit more about that?" asks
        # about what was quoted, not for the story
        part = replace(classify(f"{parts.pop().text} - {piece}"), open=False)
    elif part.open and parts and parts[-1].open:
        parts.pop()  # "Tell me about this bump - what's the story?": one invitation, the more general last one
    elif part.open and _POINTS_BACK.match(piece) and parts and parts[-1].question and not parts[-1].open:
        part = classify(f"{parts.pop().text} - {piece}")  # "I'm wondering what comes out - could you describe it?"
    return part


# "... what did you use for it and did it help?": whether the treatment just asked about worked.
_HELPED = re.compile(r"\s*(?:and )?(?:did|has|have|does|do) (?:it|that|they|this|those) (?:help|work)\w*\b", re.I)
# A short topic named before a colon, heading the questions after it ("Urea cream: how often? Helped?").
_LABEL = re.compile(r"\s*(?!(?:a|some|few|quick|couple|just|now|next|ok|okay|right|so)\b)[\w' -]{2,30}:\s*$", re.I)
# What was seen, asked after a question about looking ("Have you had a look at the back of your throat?").
_SAW_BACK = re.compile(r"\s*(and |so )?(what (did|could|can|do) you see|what did (it|they) look like)\b", re.I)
_LOOKED = re.compile(r"\b(look\w*|peek\w*|check\w*|glance\w*|mirror)\b", re.IGNORECASE)
# A remark added after a dash to a request ("remind me what tablets you're on - the computer still hasn't loaded
# your list, typical Monday"): the remark is its own part, so its words do not pull facts.
_ASIDE = re.compile(
    r"^(?P<head>.*\S)\s[-–—]\s(?P<tail>(?:the|my|i|i'?m|i'?ve|it'?s|that'?s|this|our|we|we'?re|honestly|mind you)\b[^?]*)$",
    re.IGNORECASE,
)


def _without_aside(piece: str) -> list[str]:
    m = _ASIDE.match(piece)
    head = classify(m["head"]) if m else None
    if m and head and len(m["tail"].split()) >= 4 and head.question and head.intents:
        return [m["head"], m["tail"]]
    return [piece]


# A reason given, then the question announced ("A biopsy would confirm it, so I have to ask - have you ...?"): the
# reason is a remark of its own, and its words ask nothing.
_ANNOUNCED = re.compile(
    r",?\s*\b(?:so|and)\s+(?:i'?ll|i will|i have to|i need to|i must|let me|i'?d better|i should|i always like to)\s+"
    r"(?:just\s+|quickly\s+)?(?:ask|check)(?:\s+you)?(?:\s+(?:this|that))?\s*[-–—:]\s*",
    re.IGNORECASE,
)
# Pleasantries at the start of a message that asks something after them ("Hello there, can you hear me all right?
# Grand. So how're you keeping, and what's the bother with the teeth?", "Come in and sit yourself down."): said to be
# polite, not asked; a message of nothing else keeps them (a greeting alone invites the story).
_PLEASANTRY = re.compile(
    r"^\s*(?:(?:right|okay|ok|well|so|now|alors),?\s+)?(?:(?:hello|hi|hiya|hey|g'?day|good (?:morning|afternoon|evening)|welcome(?: back)?)"
    r"(?: there| again)?(?:,? (?:mum|mummy|dad|daddy|auntie|uncle|love|pet|sir|madam|ma'?am|both|both of you|all|everyone"
    r"|darlin'?|darling|honey|sugar|sweetie|buddy))?(?:\b|(?<='))"
    r"|(?:it'?s )?(?:so |really )?(?:good|nice|lovely|great) to (?:see|meet|hear from|speak to|talk to) you(?: again| today)?"
    r"|(?:do )?come (?:on )?in(?: and (?:sit|take a seat|have a seat)(?: yourself)?(?: down)?)?"
    r"|(?:please )?(?:come,? )?(?:sit|take a seat|have a seat)(?: yourself)?(?: down)?"
    r"|(?:can|could)(?: you)? (?:hear|see) me (?:all ?right|ok(?:ay)?|clearly|fine|properly|well)?"
    r"|(?:is|are) (?:the|this|my) (?:line|sound|video|connection|audio|camera) (?:ok(?:ay)?|all ?right|clear|working)"
    r"|sorry (?:to keep you waiting|for (?:the|your|keeping you) wait(?:ing)?)|thanks? (?:you )?for (?:coming in|waiting|calling"
    r"|joining (?:me|us|the call|this call|the video|the consultation))"
    r"|(?:it'?s )?(?:good|nice|lovely|great) to have you (?:back|in)(?: again)?"
    r"|(?:there'?s |there is )?no (?:hurry|rush)(?: at all)?|(?:just )?take your time"
    r"|(?:you are |you're )welcome(?: back)?|how(?:'s| is) (?:the|your) body(?: today| now)?|any other complaints?"
    r"|(?:sorry,? )?(?:i'?m |i am )?running (?:a bit |a little |a touch )?(?:late|behind)(?: today)?"
    # the reason for the visit checked before the invitation ("You're back about the lump, yeah? Give me the story")
    r"|you'?re (?:back|here|in) (?:about|for|with) [^?.!]{1,40}?(?:,? (?:yeah|yes|right|is it|isn'?t it|eh))?(?=\?)"
    r"|how(?:'re| are)? (?:you|ya) (?:keeping|doing|getting on|going)?(?: today| now)?(?=\s*[?.!]\s*\S)"
    r"|grand|great|lovely|brilliant|super|perfect|excellent)"
    r"(?:,? (?:sir|ma'?am|madam|mate|love|pet|again|everyone|folks))?\s*(?:[.!?,]+|\s[-–—]\s)\s*",
    re.IGNORECASE,
)


def without_pleasantries(text: str) -> str:
    """`text` without the pleasantries it opens with, when something is asked after them."""
    rest = text
    while (m := _PLEASANTRY.match(rest)) and m.end() > 0:
        rest = rest[m.end() :]
    return rest if re.search(r"\w", rest) and (rest != text) else text


# The patient's own words quoted back before a question ("'Beside my nose and in my eyebrows' - is it anywhere else
# on your face?", "You said it's 'come back' - what goes through your mind when it does?"): what was said, not asked.
# A recap of the complaint before the question, in one sentence ("So your right eye's gone red and watery and now the
# left one is starting too, and I'd like to know whether there's any discharge?", "So red eyes and yellow gunk, and
# just checking the rest of her, has she been vomiting?"): what is asked is what follows the recap.
_RECAP_FIRST = re.compile(
    r"(?:^|(?<=[.?!]\s))\s*(?:(?:right|okay|ok|well),?\s+)?so,?\s+(?!(?:do|does|did|is|are|was|were|have|has|had|can|could|"
    r"would|will|what|when|where|how|which|who|why|any)\b)[^?.!]{10,220}?,\s*(?:and|but|so)\s+(?:so\s+)?"
    r"(?=(?:i'?d like to know|i would like to know|i('?m| am) (?:just |also )?(?:wondering|curious|asking)|i ask everyone|"
    r"just checking|first of all|apart from|otherwise|now|also|have|has|had|do|does|did|is|are|was|were|can|could|what|"
    r"when|where|how|which|who|any)\b)",
    re.IGNORECASE,
)
_QUOTED_BACK = re.compile(
    r"(?:^|(?<=[.?!]\s))\s*(?:you(?:'ve)? (?:said|mentioned|called|described|told me)\b.{0,40}?)?"
    r"(?<![\w'’])['‘\"“](?=\w)[^\"”’?]{2,80}?['’\"”](?!\w)\s*[-–—:]\s*(?=\S[^?]*\?)",
    re.IGNORECASE,
)


# Where the patient would like to begin: a choice offered before the invitation itself, not a question to answer.
_START_CHOICE = re.compile(
    r"(?:^|(?<=[.!?]\s))\s*(?:(?:where|how) would you (?:like|prefer|rather) (?:to )?(?:start|begin)|"
    r"(?:do|would) you (?:want|like|prefer|rather) (?:to )?(?:start|begin) (?:with|from|by))[^?]*?"
    r"(?:\?\s*|[-,]\s*or (?:just )?(?=tell|talk|walk|take))",
    re.IGNORECASE,
)
# The second half of an invitation, cut off at its "and" ("... and what you've noticed since.").
_EMBEDDED_WH = re.compile(r"\s*(and )?(what|how) (you|you'?ve|you have|you'?re|she|he|they|it|it'?s|has|have)\b", re.I)
# A short invitation about what was just asked ("could you describe it for me?").
# The doctor quoting back what the patient said before asking something new about it ("You mentioned your face goes
# red easily - what tends to set that flushing off?"): the new question is asked on its own, not the thing quoted.
_REFERS_BACK = re.compile(
    _LEAD + r"(earlier |before |just now )?you(?:'ve)? (mentioned|said|told me|described|explained|were saying)\b",
    re.IGNORECASE,
)
# A word standing for something said before ("done that and", "anyone there had", "helped with those?").
_ANAPHOR = re.compile(
    r"\b(that|this|those|them|there)\b(?=\s*(?:[?.,!;]|$|\s(?:and|or|but|at|for|in|on|with|to|recently|before|since|"
    r"yet|again|helps?|helped|works?|worked|made|make|had|has|have|is|was|been)\b))|\bit\s+(helped|helps?|worked|works?|made|makes?)\b|"
    r"\b(happened|happen) to (him|her|them)\b|\bresponded to (it|them|that)\b|\b(he|she|they)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    _LEAD
    + r"(can|could|would) you (describe|tell me (a (bit|little) )?(more )?about|explain) (it|them|that|this|those)\b"
    r"(?!.*\b(from|since)\b)",
    re.IGNORECASE,
)


_CHAT_ASKS = re.compile(r"\b(at all|or|ok|okay|alright|fine|lately|recently|yet|so far)\b", re.IGNORECASE)


_OPENS_AS_ASKED = re.compile(
    _LEAD + r"(you|u|your|ur|any|anything|are|is|do|does|did|have|has|had|what\w*|how\w*|when|where|which|who|why|"
    r"can|could|been|got|ever|still)\b",
    re.IGNORECASE,
)


def _typed_question(piece: str, part: Part) -> bool:
    """An unpunctuated chat fragment that names a topic asks about it, unless it is a plan, thanks or a closing."""
    return (
        (bool(part.intents) or bool(_CHAT_ASKS.search(piece)) or len(piece.split()) <= 3)
        and (
            not _PLAN_RE.search(piece)
            or bool(re.match(r"\s*(put|use|take|apply|tried)\s+any", piece, re.I))
            or _ASKS_YOU.match(piece) is not None
        )
        and not is_closing(piece)
        and not re.fullmatch(_LEAD + r"\W*", piece, re.IGNORECASE)
        and not re.match(
            r"\s*(thanks|thank you|ok(ay)?|right|sure|i see|got it|understood|great|good|fine)\b\W*$", piece, re.I
        )
    )


# A wh-question put to the patient ("so yeah what are you hoping we can do for you today"), even when a plan's
# words ("we can") follow.
_ASKS_YOU = re.compile(
    _LEAD + r"(what|how|when|where|which|who|why)\s+(are|is|do|does|did|have|has|would|were|was)\s+(you|he|she|they)\b",
    re.IGNORECASE,
)


def _own_question(piece: str, part: Part, before: Part, message: str) -> bool:
    """A clipped question of its own, not an elaboration of the one before: short ("Allergies?", "Discharge?"),
    set off by a semicolon ("Any fevers; redness spreading?"), or after a clipped question ("Pyrexial? Erythema
    spreading onto brow?": the message is typed in note style), on a line of its own (an item of a list) or asked
    after a lead-in ("On a scale from 0 to 10, how bad is it?")."""
    short = len(piece.split()) <= 3 and (bool(part.intents) or len(piece.split()) == 1)
    # "Any fever, chills or sweats? Redness spreading over the lid?": a clipped question on another topic
    other_topic = bool(part.intents) and bool(before.intents) and not part.intents & before.intents
    last = re.split(r"\s-\s", before.text)[-1]
    # not a list of examples, unless after a word or two on another topic ("Smoker? Family, asthma, hay fever?")
    note_style = _fragment(last) and ("," not in piece or (len(last.split()) <= 2 and other_topic))
    own_line = bool(re.search(r"\n\s*" + re.escape(piece[:12]), message))
    led_in = bool(re.search(r",\s*(how|what|when|where|which|who)\b", piece, re.IGNORECASE))
    clipped = bool(re.match(r"\s*any\b", before.text, re.IGNORECASE)) and other_topic and not _EXAMPLES.search(piece)
    return (
        short
        or bool(re.search(r";\s*" + re.escape(piece[:12]), message))
        or note_style
        or own_line
        or led_in
        or clipped
    )


# Examples offered for the question before ("Any allergies to medication? Antibiotics, anything like that?").
_EXAMPLES = re.compile(
    r"\b((anything|something) (like|similar to) (that|this)|(that|this) (sort|kind) of thing|or similar|or the like)\s*\?\s*$",
    re.IGNORECASE,
)


_SUBJECT_START = re.compile(r"^\s*(you|your|it|he|she|they|there|we|i|his|her|their|that|this|these|those)\b", re.I)


def _fragment(piece: str) -> bool:
    """A question with no question word and no subject of its own: an elaboration of the one before it."""
    return (
        piece.rstrip().endswith("?")
        and not re.match(r"\s*(and|or|also|plus|what about|how about|whether|if)\b", piece, re.IGNORECASE)
        and not any(r.match(piece) for r in (_OPEN_RE, _CLOSED_RE, _WH_RE, _REQUEST_RE))
        and not _SUBJECT_START.match(piece)
        and not _PRESUMES.search(piece)
        and not _FRONTED_CLAUSE.match(piece)
    )


# A clause with its subject after a fronted place ("in your family somebody had problem like this?", "at home
# somebody is pregnant?"): a question of its own in a second-language doctor's word order.
_FRONTED_CLAUSE = re.compile(
    r"\s*(in|at|on|for|with|before|after)\b[^?,]{0,30}?\b(somebody|someone|anybody|anyone|nobody|you|he|she|they|there)"
    r"(\s+else)?\s+(is|are|was|were|has|have|had|does|do|did|gets?|got)\b",
    re.IGNORECASE,
)


# A question asked as a conditional request ("If there's been any fever, let me know.", "In case he takes any
# medicines, list them for me.", "Should anyone at home have the same, I'd want to hear about it."): the condition
# is what is asked, so it is read as the question it puts ("there's been any fever?").
_REQUEST_AFTER_CONDITION = (
    r"(?:please\s+)?(?:do\s+)?(?:let me know|tell me|say so|mention|list|describe|pass (?:it|that|them) on|share|"
    r"give me|jot|flag|note|fill me in|write|i(?:'d| would) (?:want|like|love|need|be keen|be glad|be grateful|be interested)"
    r"|i need to (?:know|hear)|i(?:'m| am) (?:all ears|happy to hear|keen to hear|glad to hear|interested)|"
    r"that(?:'s| is| would be| 'd be) (?:useful|helpful|worth knowing|good to know)|(?:that|it)(?:'d| would) (?:really )?help|"
    r"please do)\b"
)
_CONDITIONAL_ASK = re.compile(
    r"(?:(?<=^)|(?<=[.?!]\s)|(?<=[.?!]\n))(?P<lead>\s*(?:(?:and|also|so|now|lastly|finally|then)\b,?\s*)*)"
    r"(?:if|in case|should|supposing)\s+(?:(?:you|he|she|they) (?:can|could|do|happen to) (?:remember|recall|recollect|"
    r"pin down|work out|say|tell me|know) (?:roughly |exactly |about |at all )?(?=(?:when|what|how|where|which|who)\b))?"
    r"(?P<asked>[^.?!]+?),\s*" + _REQUEST_AFTER_CONDITION + r"[^.?!]*[.!]?",
    re.IGNORECASE,
)


# Safety-netting is said the same way ("If it gets worse, let me know straight away"): a change to come, or a
# request to act on it, is advice, not a question.
_SAFETY_NET_CONDITION = re.compile(
    r"\b(gets?|getting|becomes?|worsens?|worsening|develops?|spreads?|changes?|comes? back|returns?|recurs?|"
    r"starts? to|stops?|won'?t|doesn'?t (settle|improve|clear|go|get|heal)|isn'?t (settling|improving|clearing|better)|"
    r"(has|have)n'?t (settled|improved|cleared|gone|healed)|any (problems?|questions?|worries|concerns|trouble)|"
    r"you('re| are) (worried|concerned|unsure|not sure)|you (notice|think of|need|want|have (any )?questions?)|"
    r"anything (else )?(comes up|changes|happens)|no better|not (any )?better|still|persists?|persisting|"
    r"in (a|one|two|three|four|five|six|a few|\d+) (days?|weeks?|months?)|by (then|next|the end)|after (a|one|two|\d+))\b",
    re.IGNORECASE,
)
_ACT_ON_IT = re.compile(
    r"\b(straight ?away|immediately|right away|urgently|at once|asap|promptly|same day|without delay|"
    r"and (we|i)('ll| will| can)|so (that )?(we|i) can|come back|be seen|see (me|us|someone))\b",
    re.IGNORECASE,
)


def relayed_ask(sentence: str) -> str | None:
    """The question a sentence puts through a companion ("Ask her please what medicines she has given him, and
    especially whether he has had any ibuprofen." asks what medicines she has given him ...), or None."""
    asked = _relayed(sentence)
    return asked.strip() if asked != sentence and _RELAYED_ASK.search(sentence) else None


def conditional_ask(sentence: str) -> str | None:
    """The question a conditional request puts ("If he's been abroad recently, let me know." asks "he's been
    abroad recently?"), or None when the sentence is no such request (safety-netting included)."""
    asked = _conditional_asks(sentence)
    return asked.strip() if asked != sentence else None


def _conditional_asks(text: str) -> str:
    def asked(m: re.Match[str]) -> str:
        if _SAFETY_NET_CONDITION.search(m.group("asked")) or _ACT_ON_IT.search(m.group(0)):
            return m.group(0)
        return f"{m.group('lead')}{m.group('asked').strip()}?"

    return _CONDITIONAL_ASK.sub(asked, text)


_TRAILING_OFF = re.compile(r"\s*(?:\.{3}|…)\s*(?=[a-z])")
# A form's question read out in quotes ("Question 3: 'How long have you had this problem?'", "Section on medicines:
# 'List any medicines ...'"): asked as if said.
_QUOTED_ASK = re.compile(
    r"(?<![\w'])['‘\"“](?=(?:(?:[^'‘’\"“”]|(?<=\w)['’](?=\w)){2,240}?\?)|(?:please|list|describe|give|tell|state|write|"
    r"how|what|when|where|which|who|why|do|does|did|is|are|have|has|any)\b)((?:[^'‘’\"“”]|(?<=\w)['’](?=\w)){2,240}?[?.!]?)"
    r"['’\"”](?!\w)",
    re.IGNORECASE,
)
# The form's own label before what it asks ("Question 6, allergies: ...", "Section on medicines: ", "The last box: ").
_FORM_LABEL = re.compile(
    r"(?:^|(?<=[.?!]\s))(?:(?:ok|okay|right|then|and|so|next),?\s+)?[\w ,-]{0,30}?\b(?:questions?|items?|part|section|box|"
    r"field|form)\b[\w ,-]{0,30}?:\s*",
    re.IGNORECASE,
)
# What the patient already said, set aside before the question ("Sorry, I know you said you don't smoke, but you don't
# vape either, do you?"), and the options offered after a question ("... in her mouth: yes, no, or haven't looked?",
# "Start wherever you like: her throat, her temperature, or whatever worried you most."): neither is asked.
_ALREADY_SAID = re.compile(r"\bi know you (?:said|mentioned|told me)\b[^,.;?]*,\s*(?:but\s+)?", re.IGNORECASE)
_WHERE_TO_START = re.compile(
    r"\b(start (?:wherever|where|anywhere) you (?:like|want|wish))\s*:[^.?!]*[.?!]", re.IGNORECASE
)
_PICK = r"(?:[a-z'-]+ ){0,4}[a-z'-]+"  # one option offered, a few words
_OPTIONS_OFFERED = re.compile(
    r"[ \t]*:[ \t]*(?!(?:has|have|had|do|does|did|is|are|was|were|any|anybody|anyone|what|when|where|which|who|how|can|could|"
    r"would|will|should|you|your|he|she|they|his|her|their)\b)"
    rf"{_PICK},[ \t]*(?:{_PICK},[ \t]*)?(?:or|and/or)[ \t]+{_PICK}(?=[ \t]*[?.!](?:\s|$))",
    re.IGNORECASE,
)
# "Any idea?" after a question asks whether that is known ("Do you know what the tests showed? Mum, any idea?")
_IDEA_TAG = re.compile(r"(?<=\?)\s+(?:any|got any|no) ideas?\s*\?", re.IGNORECASE)


def plain_words(text: str) -> str:
    """Regional and slang words read as the plain word (lexicon.LAY_WORDS), terms of address dropped
    ("Right, pet, tell me ..." asks about no pet), markdown taken off (markup.plain_text) and clinical shorthand
    spelled out (shorthand.plain_clinical: "PMH? DHx?"); a transcribed spoken question loses its fillers and false
    starts (speech.plain_speech: "um do you, have you been ...")."""
    text = _GUESSED.sub(_asked_guess, plain_letter(_FORM_LABEL.sub("", _QUOTED_ASK.sub(r"\1", text))))
    text = _RECAP_FIRST.sub("", text)
    text = _TRAILING_OFF.sub(", ", text)  # "Eosinophil count... any idea?": one question, trailed off and picked up
    text = _OPTIONS_OFFERED.sub("", _ALREADY_SAID.sub("", _WHERE_TO_START.sub(r"\1.", text)))
    text = _conditional_asks(
        plain_clinical(
            _VOCATIVE_RE.sub("", _without_parent_addressed(_relayed(plain_speech(plain_form(plain_text(text))))))
        )
    )
    text = _IDEA_TAG.sub("", text)
    text = _ASKED_QUESTION.sub(lambda m: _you_for_we(m.group(0)), text)
    text = _START_BY.sub(lambda m: _BASE_FORM.get(m[1].lower(), m[1]), text)
    text = _META_ASIDE.sub("", _LETS_LIST.sub("Tell me ", _ANNOUNCED_LATER.sub("", text)))
    text = _HOW_TRAVELLING.sub(
        r"\1going", _CHAT_AND.sub("and", _PARTICLES.sub("", _MNEMONIC_LETTER.sub(r"\1: ", text)))
    )
    text = _LAY_RE.sub(lambda m: LAY_WORDS[m.group(0).lower()], _YOU_TELL_ME.sub("tell me", text))
    return _NO_AUXILIARY.sub(lambda m: f"{m.group(1)} {_DO_FOR[m.group(2).lower()]} {m.group(2)} {m.group(3)}", text)


# A reply to an e-consultation written as a formal letter ("Dear Mrs Patel, ... I would be grateful if you could tell
# me whether ..., With best wishes"): its requests are read as the plain questions they are.
_LETTER_REWRITES = (
    # "I trust that he has not developed a cough; I should be grateful if you could confirm that this is the case."
    (
        re.compile(
            r"\bI (?:trust|presume|assume|take it)(?: that)? ([^;.?!]+?)[;,]\s*(?:but |and )?I (?:would|should) be (?:most |very )?"
            r"grateful if you (?:could|would) (?:kindly |please )?confirm(?: (?:that )?(?:this is the case|this|that|so))?\s*\.?",
            re.IGNORECASE,
        ),
        r"\1, correct?",
    ),
    (
        re.compile(
            r"\bI (?:would|should|'d) (?:also )?be (?:most |very )?grateful if you (?:could|would) (?:kindly |please |also )?",
            re.IGNORECASE,
        ),
        "please ",
    ),
    (
        re.compile(
            r"\b(?:I (?:would|should|'d) (?:also )?be (?:most |very )?grateful to (?:know|hear|learn)|it would (?:also )?help"
            r" (?:me )?(?:a great deal |greatly |enormously |a lot )?to (?:know|hear|learn))\b",
            re.IGNORECASE,
        ),
        "please tell me",
    ),
    (re.compile(r"^\s*dear [\w.' -]{1,40},\s*", re.IGNORECASE), ""),  # "Dear Mrs Patel,"
    (re.compile(r",?\s*(?:with )?(?:best|kind|warm|many thanks and best) (?:wishes|regards)\b[^?]*$", re.I), "."),
    (re.compile(r",?\s*yours (?:sincerely|faithfully)\b[^?]*$", re.IGNORECASE), "."),
    # a preamble or aside that asks nothing: "If it is to hand, ...", ", to your knowledge,", "To help me advise you, "
    (re.compile(r"\bif (?:it is|it's|they are|they're) (?:to hand|available)\s*,\s*", re.IGNORECASE), ""),
    (re.compile(r",\s*to (?:your|the best of your) knowledge\s*,", re.IGNORECASE), ""),
    (
        re.compile(
            r"\bbefore (?:i|we) (?:advise|decide|suggest|prescribe|recommend|plan|go (?:on|any further))\b[^,.?]{0,40},\s*",
            re.IGNORECASE,
        ),
        "",
    ),
    # "Before we get into the anxiety stuff, what else ...?": what is put off is not asked
    (
        re.compile(
            r"\bbefore (?:i|we|you) (?:get|go|come|move|talk|turn) (?:in ?to|on ?to|to|about) [^,.?]{1,40},\s*", re.I
        ),
        "",
    ),
    (
        re.compile(
            r"\bto help me (?:to )?(?:advise|assess|help|treat) you(?: (?:better|properly|safely))?\s*,\s*", re.I
        ),
        "",
    ),
)


def plain_letter(text: str) -> str:
    """A formal letter's requests as plain questions ("I would be grateful if you could tell me whether ..." asks
    whether; "I trust that ...; I should be grateful if you could confirm this." checks it; salutation and sign-off
    dropped)."""
    for pattern, plain in _LETTER_REWRITES:
        text = pattern.sub(plain, text)
    return text


# A question without its auxiliary ("What you hope we can do for you today?", "You think why ...?" after the lexicon):
# the "do" put back.
_NO_AUXILIARY = re.compile(
    r"\b(what|why|how|where|when|which)\s+(you|he|she|they)\s+(think|hope|want|expect|use|eat|drink|feel|mean|need)\b",
    re.IGNORECASE,
)
_DO_FOR = {"you": "do", "they": "do", "he": "does", "she": "does"}
# "You tell me from the beginning." (a Hong Kong doctor's invitation), at the start of a sentence.
_YOU_TELL_ME = re.compile(r"(?:(?<=^)|(?<=[.?!]\s))you tell me\b", re.IGNORECASE)
# The letter of a history mnemonic before the heading it stands for ("S for site - where ...?", "A - associated
# symptoms: any fever?", "O, onset: when did it start?"): the heading is what is asked about.
_MNEMONIC_LETTER = re.compile(
    r"\b[A-Z]{1,2}(?: for|\s*[-–—,:])\s+((?:site|onset|character|radiation|associat\w*|time\w*|timing|exacerbat\w*|"
    r"relie\w*|aggravat\w*|alleviat\w*|severity|location|duration|quality|provo\w*|palliat\w*|region|ideas?|concerns?|"
    r"expectations?|allerg\w*|medic\w*|meds|past|last|events|family|social|drugs?|signs|symptoms|history)\b"
    r"[a-z ]{0,30}?)\s*[-–—:,]\s*"
)
# The Filipino particle of respect ("Hello po, Ma'am", "What are the medicines you are taking po everyday?"), lower
# case only ("PO" is by mouth).
# Particles and tags that ask nothing: Filipino "po", Singapore English "ah", "lah", "can or not?".
_PARTICLES = re.compile(
    r"(?<=\w)\s+po\b(?=[\s,?.!]|$)"
    # Singapore English particles and tags ("So what's the problem ah, tell me", "Tell me from the start, can or not?")
    r"|(?<=\w)\s+(?:ah|lah|leh|lor|hor)\b(?=\s*[,?.!]|$)|,?\s+(?:can|is it|okay|ok|right) or not(?=\s*\?)|,\s*can(?=\s*\?\s*$)",
    re.IGNORECASE,
)
# What a rambling doctor says about the asking, not about the patient ("and tell me if this is a silly question
# because you may well have told the last doctor all of this", "this is partly nosiness and partly relevant", "while
# we're at it"): nothing is asked by it.
_META_ASIDE = re.compile(
    r",?\s*(?:and |but )?(?:tell me if this is a (?:silly|daft|stupid|odd) question(?: because [^,?]*)?|"
    r"this is partly \w+ and partly \w+|while (?:we|you)'?re at it|if you don'?t mind me asking|"
    r"and i'?ll try to keep them separate[^:?]*?(?=:)|i'?m curious|"
    # "..., and it's genuinely useful for me to know even if you think it sounds daft?"
    r"it'?s (genuinely |really |very |always )?(useful|helpful) (for me )?to know[^,?.]*)(?=\s*[,:?])",
    re.IGNORECASE,
)
# What the doctor will do later ("Tell me what's been happening, and then I'll go through every medicine you're using"):
# nothing asked yet.
_ANNOUNCED_LATER = re.compile(
    r",?\s*(?:and|but) (?:then|afterwards|after that|later|next) (?:i'?ll|we'?ll|i will|we will|i'?m going to|we'?re going to)"
    r" [^.?!]*|"
    # "I'll go through all her medicines in detail shortly, but first, tell me ..."
    r"(?:(?<=^)|(?<=[.?!]\s))(?:i'?ll|we'?ll|i will|we will) (?:go through|ask about|come (?:back )?to|get to) [^.?!]*?"
    r"\b(?:shortly|later|in a (?:moment|minute|bit|second)|after(?:wards)?)\s*,?\s*(?:but|and)\s+(?:first,?\s*)?",
    re.IGNORECASE,
)
# "Do you want to start by telling me what's been happening?" invites the story (not a choice of where to start).
_START_BY = re.compile(
    r"\b(?:do|would) you (?:want|like|prefer) (?:to )?(?:start|begin) by (tell|talk|walk|tak|describ|go)ing\b", re.I
)
_BASE_FORM = {"tak": "take", "describ": "describe"}
# "Let's list everything you take - ..." asks for the list.
_LETS_LIST = re.compile(
    r"(?:(?<=^)|(?<=[.?!]\s))let'?s (?:list|go through|run through|get a list of|note down|write down) "
    r"(?=(?:everything|all|what|which|any|the|your)\b)",
    re.IGNORECASE,
)
# A chat's "n" for "and" ("r u on any other meds? n any allergies"), lower case only: "Y/N" and "N. gonorrhoeae" stay.
_CHAT_AND = re.compile(r"(?<![\w/'.])n(?=\s+[a-z])")


# A question put through a companion or an interpreter ("Could you ask your dad when the rash first came up?",
# "Please check with her how long her teeth have been moving apart.", "Ask him whether it itches.") is the question
# it relays ("when the rash first came up?"); "ask her to tell me how ..." is "tell me how ...".
_WHO = r"(?:him|her|them|the (?:patient|child|boy|girl|baby)|your (?!doctor|gp|pharmacist|dentist|nurse)[a-z]+)"
_RELAYED_ASK = re.compile(
    r"(?:(?<=^)|(?<=[.?!]\s))(?P<lead>\s*(?:(?:and|also|so|now|then|lastly|finally|next|ok(?:ay)?|right)\b,?\s*)*)"
    r"(?:(?:please|kindly|could you|can you|would you|will you|just|also|now|then)\s+)*"
    r"(?:ask|check with|find out from)\s+(?:" + _WHO + r"\s+)?(?:for me\s+|please\s+)?"
    r"(?:(?:whether|if)\s+|(?=(?:when|what|how|where|whereabouts|which|who|why)\b))"
    r"(?P<asked>[^.?!]+?)(?:,?\s*(?:for me|please))?\s*(?:[.?!]|$)",
    re.IGNORECASE,
)
_RELAYED_REQUEST = re.compile(
    r"\b(?:ask|get)\s+" + _WHO + r"\s+to\s+(?=(?:tell|describe|explain|talk|walk|take|show)\b)", re.IGNORECASE
)
# Singaporean and Malaysian English particles and tags ("Pain or not, when you press?", "Start from the beginning
# lah.") and the Welsh tag ("What can I do for you today, is it?") carry no content.
_PARTICLE = re.compile(
    r"[,\s]+(?:lah|leh|lor|hor|meh|ah|ar)(?=\s*[?.!]|\s*$)|,?\s+or not(?=\s*[?,])|,\s*is it(?=\s*\?)|"
    r"(?<=\bfor me),\s*(?:would|will|could|can) you(?=\s*\?)",  # "Describe these lumps for me, would you?"
    re.IGNORECASE,
)


# "You wear lenses? Then smoking, you smoke?": a question opened by "then" goes on to the next thing asked.
_THEN_NEXT = re.compile(r"(?:(?<=^)|(?<=[.?!]\s))then\b(?!,)(?=[^.?!]*\?)", re.IGNORECASE)


# The reason a doctor gives before a question ("As stress can feed an itch-scratch cycle, how has your mood been
# lately?", "Because knowing where you might have picked this up helps me, has anyone around you had a rash?") is not
# what is asked: its words (stress, concern, the brain) would pull their own facts, so unlike a frame of time or a
# guess (`_FRAME`, read past by `classify` but kept in the text) it is dropped from the text. A clause of time
# ("Since the rash started, ...") keeps its place.
_REASON_BEFORE_QUESTION = re.compile(
    r"(?:(?<=^)|(?<=[.?!]\s)|(?<=,\s)(?=and\b)|(?<=\sand\s))(?:and\s+)?"
    r"(?:(?:because|as|given that|seeing as)\s+(?!well\b|soon\b|long\b|far\b|much\b)|"
    r"since\s+(?=[^,.?!]{0,120}\b(?:can|could|may|might|would|will|helps?|matters?|is|are|tends?|runs?|affects?)\b))"
    r"[^,.?!]{3,120},\s*(?=(?:have|has|had|do|does|did|are|is|was|were|can|could|would|will|any|how|what|when|where|"
    r"which|who|i take it|is there|are there|tell me|so)\b[^.!]*\?)",
    re.IGNORECASE,
)


_POINTS_TO_REASON = re.compile(
    r"\b(ones|them|they|those|these|neither|either|both)\b|\b(of|any of|none of) (that|it)\b", re.IGNORECASE
)


def _reason_dropped(m: re.Match[str]) -> str:
    """ "..., and since the mouth can be involved, are you managing to drink?" keeps its "and"; "Because some creams
    can cause this, which ones have you used?" keeps the reason its question points back to."""
    asked = m.string[m.end() :].split("?", 1)[0]
    if _POINTS_TO_REASON.search(asked):
        return m.group(0)
    return "and " if m.group(0).lower().startswith("and") else ""


def _relayed(text: str) -> str:
    text = _REASON_BEFORE_QUESTION.sub(_reason_dropped, text)
    text = _THEN_NEXT.sub("And", _PARTICLE.sub("", text))
    text = _RELAYED_REQUEST.sub("", text)
    return _RELAYED_ASK.sub(lambda m: f"{m.group('lead')}{m.group('asked').strip()}?", text)


# A question in the doctor's collective "we" asks about the patient ("Have we had any temperature?", "What do we
# think might have set it off?", "What have our sugars been reading?"); a proposal ("Shall we have a look?") and the
# practice's own things ("our clinic") keep theirs.
_ASKED_QUESTION = re.compile(r"[^.?!\n]*\?")
_COLLECTIVE_WE = re.compile(
    r"(?<!\bshall )(?<!\bshould )(?<!\bcan )(?<!\bcould )(?<!\bmay )\b(we|we've|we're|we'd|our|ourselves)\b"
    r"(?! (clinic|practice|surgery|team|nurses?|records|notes|letter|system)\b)",
    re.IGNORECASE,
)
# Australian "How's the thyroid been travelling?" asks how it is going, not about travel.
_HOW_TRAVELLING = re.compile(r"(\bhow(?:'s| is| are| has| have)\b[^?.!]{0,40}?\b(?:been )?)travelling\b", re.IGNORECASE)
_YOU_FOR = {"we": "you", "we've": "you've", "we're": "you're", "we'd": "you'd", "our": "your", "ourselves": "yourself"}


def _you_for_we(question: str) -> str:
    return _COLLECTIVE_WE.sub(lambda m: _YOU_FOR[m.group(1).lower()], question)


_VOCATIVE_RE = re.compile(
    r"(?:,\s*|^\s*)(?:pet|love|my love|my lover|bab|bach|cariad|mate|hun|darling|darlin'?|honey|sugar|sweetie|buddy|"
    r"sweetheart|my dear|duck|chick|"
    r"superstar|grown-?up|ma'?am|madam|sir|young man|young lady)(?=\s*[,.?!]|\s*$)"
    # after a greeting ("Good morning sir, how are you?", "Good morning ma. ...")
    r"|(?:(?<=morning)|(?<=afternoon)|(?<=evening)|(?<=hello)|(?<=\bhi)|(?<=welcome))\s+(?:sir|ma'?am|madam|ma)"
    r"(?=\s*[,.?!])"
    r"|(?<=^ok )(?:mum|beta),|(?<=^okay )(?:mum|beta),|(?<=^right )mum,|(?<=^so )mum,"
    # a parent addressed at the start of any sentence ("... Mum, seen anything like that?")
    r"|(?:^|(?<=[.?!]\s))\s*(?:mum|mam|mom|mummy|dad|daddy),",
    re.IGNORECASE,
)

# A parent addressed at the end of a sentence ("Is it itchy? Go on, you tell me, not Mum.", "... the elbows and knees?
# Mum, that right?"), unless the word before names a relative of a list ("your brother, dad?").
_PARENT_LAST = re.compile(
    r"(?P<before>[\w']+)?,\s*(?:not )?(?:mum|mam|mom|mummy|dad|daddy)(?=\s*[.?!]|\s*$)", re.IGNORECASE
)
_RELATIVES = {"brother", "sister", "father", "mother", "parent", "parents", "grandma", "grandad", "grandpa", "nan",
              "auntie", "aunt", "uncle", "cousin", "son", "daughter", "husband", "wife", "partner", "mum", "dad",
              "mam", "mom"}  # fmt: skip


def _without_parent_addressed(text: str) -> str:
    def drop(m: re.Match[str]) -> str:
        before = m["before"] or ""
        return m.group(0) if before.lower() in _RELATIVES else before

    return _PARENT_LAST.sub(drop, text)


_LAY_RE = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(w) for w in sorted(LAY_WORDS, key=len, reverse=True)) + r")(?![\w'])",
    re.IGNORECASE,
)


# "I don't suppose you know what ... is?", "Any idea what the number was?": asked whether the patient knows.
_ASKS_IF_KNOWN = re.compile(
    r"\b((don'?t|do not) suppose you (happen to )?know|(do|would) you (happen to )?know (what|which|how)|"
    r"happen to know|any idea (what|which|how (high|low|much|many))|given you a (figure|number|reading)|"
    r"^\s*(you )?know (his|her|your|their|the|what) |you know what (number|figure|level|value|it) |you know the (number|figure|value|level|result|reading|count)s?)\b",  # "Know his platelet count?"
    re.IGNORECASE,
)


# A count asked ("How many days lately has she had sore joints - any at all?", "How many lumps have you felt?"): of
# something the case does not have, the count is none.
_COUNT = re.compile(r"^\W*(?:(?:and|so|also|now)\W+)?(how many|how often)\b", re.IGNORECASE)


def asks_a_count(text: str) -> bool:
    """True for a question that counts something ("How many ...?", "How often ...?")."""
    return bool(_COUNT.match(text))


def asks_if_known(text: str) -> bool:
    """True for a question about whether the patient knows something (not found in the case: "I don't know")."""
    return bool(_ASKS_IF_KNOWN.search(text))


def is_probe(text: str) -> bool:
    """True for a message that asks the patient to name or reveal the diagnosis, or to leave the role."""
    return bool(_PROBE_RE.search(text))


def is_closing(text: str) -> bool:
    """The doctor ends the consultation: a final-diagnosis line, or a goodbye that closes a message asking nothing.

    "Take care not to rub that eye. Is it painful?" is not a closing: it asks something, and *take care*
    is not its last words.
    """
    if _FINAL_RE.search(text):
        return True
    if "?" in text:
        return False
    return bool(_GOODBYE_RE.search(text.strip()))


_CONDITION_FIRST = re.compile(r"\s*(if|when|whenever|should|in case|once)\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def gives_plan(text: str) -> bool:
    """True when the message (outside its questions) gives advice or a plan."""
    # a task for the patient ("Could you get him to open wide and shine a torch in") is no plan
    statements = [
        p
        for p in split_parts(_conditional_asks(plain_letter(text)))
        if not classify(p).question and not _TASK_RE.match(p)
    ]
    # "If any spot bleeds, changes or gets a ragged edge, come back promptly": the advice after the condition
    after_condition = [s.rsplit(",", 1)[-1] for s in statements if _CONDITION_FIRST.match(s) and "," in s]
    return any(_PLAN_RE.search(s) for s in [*statements, *after_condition])
