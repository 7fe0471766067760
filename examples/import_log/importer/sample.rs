//! Small logs in each layout, written for this example (no row comes from the real logs):
//! what the importer runs on when no file is given, and what CI runs.

/// Helpdesk layout: five tickets of two customers. Ticket 1 is the common path; ticket 2
/// waits on the customer; ticket 3 is resolved at first touch; ticket 4 goes up a level;
/// ticket 5 waits on the developers for a software anomaly.
pub const HELPDESK: &str = "\
Case ID,Activity,Resource,Complete Timestamp,Variant,Variant index,Variant,seriousness,customer,product,responsible_section,seriousness_2,service_level,service_type,support_section,workgroup
Case 1,Assign seriousness,Value 1,2025/03/03 09:10:00.000,Variant 1,1,Variant 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 1,Take in charge ticket,Value 2,2025/03/03 10:00:00.000,Variant 1,1,Variant 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 1,Resolve ticket,Value 2,2025/03/04 15:30:00.000,Variant 1,1,Variant 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 1,Closed,Value 3,2025/03/05 08:00:00.000,Variant 1,1,Variant 1,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 2,Assign seriousness,Value 1,2025/03/03 11:00:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 2,Take in charge ticket,Value 4,2025/03/03 11:40:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 2,Wait,Value 4,2025/03/03 12:00:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 2,Take in charge ticket,Value 4,2025/03/06 09:00:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 2,Resolve ticket,Value 4,2025/03/06 10:15:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 2,Closed,Value 3,2025/03/07 08:00:00.000,Variant 2,2,Variant 2,Value 1,Value 2,Value 1,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 3,Assign seriousness,Value 1,2025/03/04 09:00:00.000,Variant 3,3,Variant 3,Value 1,Value 1,Value 2,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 3,Assign seriousness,Value 1,2025/03/04 09:05:00.000,Variant 3,3,Variant 3,Value 1,Value 1,Value 2,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 3,Resolve ticket,Value 5,2025/03/04 09:20:00.000,Variant 3,3,Variant 3,Value 1,Value 1,Value 2,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 3,Closed,Value 3,2025/03/05 08:00:00.000,Variant 3,3,Variant 3,Value 1,Value 1,Value 2,Value 1,Value 2,Value 2,Value 1,Value 1,Value 1
Case 4,Insert ticket,Value 1,2025/03/05 14:00:00.000,Variant 4,4,Variant 4,Value 1,Value 2,Value 1,Value 1,Value 3,Value 2,Value 1,Value 1,Value 1
Case 4,Take in charge ticket,Value 2,2025/03/05 14:30:00.000,Variant 4,4,Variant 4,Value 1,Value 2,Value 1,Value 1,Value 3,Value 2,Value 1,Value 1,Value 1
Case 4,Require upgrade,Value 2,2025/03/05 16:00:00.000,Variant 4,4,Variant 4,Value 1,Value 2,Value 1,Value 1,Value 3,Value 2,Value 1,Value 1,Value 1
Case 4,Resolve ticket,Value 6,2025/03/07 11:00:00.000,Variant 4,4,Variant 4,Value 1,Value 2,Value 1,Value 1,Value 3,Value 2,Value 1,Value 1,Value 1
Case 4,Closed,Value 3,2025/03/10 08:00:00.000,Variant 4,4,Variant 4,Value 1,Value 2,Value 1,Value 1,Value 3,Value 2,Value 1,Value 1,Value 1
Case 5,Assign seriousness,Value 1,2025/03/06 09:00:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 5,Take in charge ticket,Value 2,2025/03/06 09:30:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 5,Create SW anomaly,Value 2,2025/03/06 10:00:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 5,Resolve SW anomaly,Value 7,2025/03/10 16:00:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 5,Resolve ticket,Value 2,2025/03/11 09:00:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
Case 5,Closed,Value 3,2025/03/12 08:00:00.000,Variant 5,5,Variant 5,Value 1,Value 1,Value 1,Value 1,Value 1,Value 2,Value 1,Value 1,Value 1
";

/// Volvo layout: three service requests. SR 1 is accepted, waits on the user and resolves;
/// SR 2 goes to the second line and back; SR 3 waits on a vendor.
pub const VOLVO: &str = "\
SR Number,Change Date+Time,Status,Sub Status,Activity,Activity Level,Involved ST Function Div,Involved Org line 3,Involved ST,Involved ST 2,ST Level,SR Latest Impact,Product,Country,Owner Country,Owner First Name,Resource
1-100,2025-03-03T09:00:00+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L1,A1,Org line A,T1,T1,L1,Medium,P1,se,Sweden,Anna,se-Anna
1-100,2025-03-03T10:00:00+01:00,Accepted,Wait - User,Accepted-Wait - User,Accepted-Wait - User-L1,A1,Org line A,T1,T1,L1,Medium,P1,se,Sweden,Anna,se-Anna
1-100,2025-03-04T09:30:00+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L1,A1,Org line A,T1,T1,L1,Medium,P1,se,Sweden,Anna,se-Anna
1-100,2025-03-04T11:00:00+01:00,Completed,Resolved,Completed-Resolved,Completed-Resolved-L1,A1,Org line A,T1,T1,L1,Medium,P1,se,Sweden,Anna,se-Anna
1-100,2025-03-05T11:00:00+01:00,Completed,Closed,Completed-Closed,Completed-Closed-L1,A1,Org line A,T1,T1,L1,Medium,P1,se,Sweden,Anna,se-Anna
1-200,2025-03-03T13:00:00+01:00,Queued,Awaiting Assignment,Queued-Awaiting Assignment,Queued-Awaiting Assignment-L1,A1,Org line A,T1,T1,L1,High,P2,be,Belgium,Jan,be-Jan
1-200,2025-03-03T13:20:00+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L1,A1,Org line A,T1,T1,L1,High,P2,be,Belgium,Jan,be-Jan
1-200,2025-03-03T15:00:00+01:00,Queued,Awaiting Assignment,Queued-Awaiting Assignment,Queued-Awaiting Assignment-L2,A2,Org line B,T2,T2,L2,High,P2,be,Belgium,Els,be-Els
1-200,2025-03-04T10:00:00+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L2,A2,Org line B,T2,T2,L2,High,P2,be,Belgium,Els,be-Els
1-200,2025-03-04T12:00:00+01:00,Completed,Resolved,Completed-Resolved,Completed-Resolved-L2,A2,Org line B,T2,T2,L2,High,P2,be,Belgium,Els,be-Els
1-300,2025-03-05T08:00:00+01:00,Accepted,In Progress,Accepted-In Progress,Accepted-In Progress-L1,A1,Org line A,T1,T1,L1,Low,P3,nl,Netherlands,Piet,nl-Piet
1-300,2025-03-05T09:00:00+01:00,Accepted,Wait - Vendor,Accepted-Wait - Vendor,Accepted-Wait - Vendor-L1,A1,Org line A,T1,T1,L1,Low,P3,nl,Netherlands,Piet,nl-Piet
1-300,2025-03-10T09:00:00+01:00,Completed,In Call,Completed-In Call,Completed-In Call-L1,A1,Org line A,T1,T1,L1,Low,P3,nl,Netherlands,Piet,nl-Piet
";

/// Tweets layout: two customers and a brand; one reply comes late, one customer writes twice
/// before the brand answers, and one brand tweet answers nobody in the sample.
pub const TWEETS: &str = "\
,tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
0,10,900001,True,Mon Mar 03 09:00:00 +0000 2025,@acme_help my order has not arrived,11,
1,11,acme_help,False,Mon Mar 03 09:20:00 +0000 2025,@900001 Sorry to hear that! Could you DM us the order number?,12,10.0
2,12,900001,True,Mon Mar 03 09:25:00 +0000 2025,@acme_help sent,13,11.0
3,13,acme_help,False,Tue Mar 04 14:00:00 +0000 2025,\"@900001 Thanks, it ships today, tracking to follow\",,12.0
4,20,900002,True,Mon Mar 03 18:00:00 +0000 2025,@acme_help the app logs me out,,
5,21,900002,True,Mon Mar 03 18:30:00 +0000 2025,@acme_help hello??,22,20.0
6,22,acme_help,False,Mon Mar 03 19:00:00 +0000 2025,@900002 Please update to the latest version,,21.0
7,30,acme_help,False,Mon Mar 03 20:00:00 +0000 2025,@someone glad we could help,,99.0
";
